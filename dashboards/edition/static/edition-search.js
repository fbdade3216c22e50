// The edition's search box: Pagefind's index in <edition>/pagefind/ (written by bestbits
// publish), loaded on the first focus and queried in the browser. Pagefind fetches only the
// index chunks and page fragments a search needs; nothing leaves the edition's folder.
window.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("edition-search");
  if (!box) return;
  const root = new URL(box.dataset.root || "./", window.location.href);
  const input = box.querySelector("input");
  const status = box.querySelector(".edition-search-status");
  const list = box.querySelector(".edition-search-results");
  const SHOWN = 8;
  let pagefind = null;
  let latest = 0;

  async function load() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", root).href).then(async (module) => {
        // Result addresses relative to the edition's root, wherever the folder is hosted.
        await module.options({ baseUrl: root.pathname });
        return module;
      });
    }
    return pagefind;
  }

  // An excerpt is the page's text with the matched words in <mark>: kept as text and marks
  // only, whatever else it might hold.
  function excerpt(html) {
    const paragraph = document.createElement("p");
    const parsed = new DOMParser().parseFromString(html, "text/html");
    for (const node of parsed.body.childNodes) {
      if (node.nodeName === "MARK") {
        const mark = document.createElement("mark");
        mark.textContent = node.textContent;
        paragraph.append(mark);
      } else {
        paragraph.append(document.createTextNode(node.textContent));
      }
    }
    return paragraph;
  }

  async function run() {
    const words = input.value.trim();
    const ticket = ++latest;
    if (!words) {
      status.textContent = "";
      list.replaceChildren();
      return;
    }
    const module = await load();
    const found = await module.search(words);
    if (ticket !== latest) return;
    const pages = await Promise.all(found.results.slice(0, SHOWN).map((r) => r.data()));
    if (ticket !== latest) return;
    status.textContent = found.results.length
      ? `${found.results.length} page${found.results.length === 1 ? "" : "s"} for “${words}”` +
        (found.results.length > SHOWN ? ` (the first ${SHOWN} shown)` : "")
      : `No event or statement page holds “${words}”.`;
    list.replaceChildren(...pages.map((page) => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = page.url;
      link.textContent = (page.meta && page.meta.title) || page.url;
      item.append(link, excerpt(page.excerpt || ""));
      return item;
    }));
  }

  input.addEventListener("focus", () => { load(); }, { once: true });
  input.addEventListener("input", run);
});
