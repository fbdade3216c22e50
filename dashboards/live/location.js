// Front end of dashboards/location.py: keeps the address bar and the kernel's view in step.
//
// - A click on a link to "?..." (the navigation, a permalink) stays in the page: the address
//   is pushed onto the history and the kernel is asked to open that view.
// - A click on a link that opens something within the view (a search hit: `data-bb-set`, the
//   state keys it sets, an empty value clearing one) pushes the current address with those
//   keys set and asks the kernel to open it; the kernel draws it in place.
// - Back and Forward ask the kernel to open the address they bring back.
// - The kernel pushes the address for a deliberate change (a search submitted, a filter
//   chosen) and replaces it for any other (no new history entry); typing in a search box
//   replaces the address as the words are typed.
// Every push or pop bumps `seq`; the kernel echoes the seq of the last view it opened, so a
// filter change that was still on its way when the visitor moved on cannot rewrite the new
// address.
// - The page's own address (origin and path) goes to the kernel once, for absolute permalinks.

// SEARCH with the keys of SET (a query string) set to its values, an empty value removing one.
function withKeysSet(search, set) {
  const params = new URLSearchParams(search);
  for (const [key, value] of new URLSearchParams(set)) {
    if (value) params.set(key, value);
    else params.delete(key);
  }
  return "?" + params.toString();
}

function initialize({ model }) {
  let seq = 0;
  model.set("address", location.origin + location.pathname);
  model.save_changes();
  // The address of the view the kernel shows; the address bar may run ahead of it while the
  // visitor types in a search box (onInput), and is set back to it before a new entry.
  let committed = location.search;
  const open = () => {
    committed = location.search;
    model.send({ event: "open", search: location.search, seq });
  };
  const push = (search) => {
    if (location.search !== committed) history.replaceState(history.state, "", committed);
    history.pushState({ bestbits: seq }, "", search);
    committed = search;
  };

  const onClick = (event) => {
    const link = event.target instanceof Element ? event.target.closest("a[href^='?']") : null;
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey ||
        event.ctrlKey || event.shiftKey || event.altKey || link.target ||
        link.hasAttribute("download")) {
      return;  // a new tab or window opens the address with a kernel of its own
    }
    event.preventDefault();
    const search = link.hasAttribute("data-bb-set")
      ? withKeysSet(committed, link.getAttribute("data-bb-set"))
      : link.getAttribute("href");
    if (search === committed) return;
    seq += 1;
    push(search);
    open();
  };
  // Typing in a search box (a text control, dashboards/live/controls.py marks it with its state
  // key) only rewrites the address; Enter makes the change a step of the history (the kernel's
  // push).
  const onInput = (event) => {
    const box = event.target instanceof HTMLInputElement
      ? event.target.closest("[class*='bb-typed-key-']") : null;
    if (!box) return;
    const marker = Array.from(box.classList).find((c) => c.startsWith("bb-typed-key-"));
    const key = marker.slice("bb-typed-key-".length);
    const typed = new URLSearchParams({ [key]: event.target.value.trim() }).toString();
    history.replaceState(history.state, "", withKeysSet(committed, typed));
  };
  const onPop = () => {
    seq += 1;
    open();
  };
  const onMessage = (message) => {
    if (message.seq !== seq) return;
    if (message.event === "push" && message.search !== committed) {
      push(message.search);
    } else if (message.event === "replace") {
      if (message.search !== location.search) history.replaceState(history.state, "", message.search);
      committed = message.search;
    }
  };
  // The visitor moved on in the page painted before the kernel came (first-paint.js in the
  // Voila template): open the address they are at now.
  if (window.bestbitsAddressMoved) {
    window.bestbitsAddressMoved = false;
    seq += 1;
    open();
  }
  document.addEventListener("click", onClick);
  document.addEventListener("input", onInput);
  window.addEventListener("popstate", onPop);
  model.on("msg:custom", onMessage);
  return () => {
    document.removeEventListener("click", onClick);
    document.removeEventListener("input", onInput);
    window.removeEventListener("popstate", onPop);
    model.off("msg:custom", onMessage);
  };
}

export default { initialize, render() {} };
