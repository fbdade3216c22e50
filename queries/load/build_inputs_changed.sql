-- Which raw inputs are new or changed since the previous build (attached as `previous`).
UPDATE build_inputs SET changed = NOT EXISTS (
    SELECT 1 FROM previous.build_inputs p
    WHERE p.path = build_inputs.path AND p.content_hash = build_inputs.content_hash);
