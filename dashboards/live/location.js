// Front end of dashboards/location.py: keeps the address bar and the kernel's view in step.
//
// - A click on a link to "?..." (the navigation, a permalink) stays in the page: the address
//   is pushed onto the history and the kernel is asked to open that view.
// - Back and Forward ask the kernel to open the address they bring back.
// - The kernel replaces the address when a filter changes (no new history entry).
// Every push or pop bumps `seq`; the kernel echoes the seq of the last view it opened, so a
// filter change that was still on its way when the visitor moved on cannot rewrite the new
// address.

function initialize({ model }) {
  let seq = 0;
  const open = () => model.send({ event: "open", search: location.search, seq });

  const onClick = (event) => {
    const link = event.target instanceof Element ? event.target.closest("a[href^='?']") : null;
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey ||
        event.ctrlKey || event.shiftKey || event.altKey || link.target ||
        link.hasAttribute("download")) {
      return;  // a new tab or window opens the address with a kernel of its own
    }
    event.preventDefault();
    const search = link.getAttribute("href");
    if (search === location.search) return;
    seq += 1;
    history.pushState({ bestbits: seq }, "", search);
    open();
  };
  const onPop = () => {
    seq += 1;
    open();
  };
  const onMessage = (message) => {
    if (message.event === "replace" && message.seq === seq && message.search !== location.search) {
      history.replaceState(history.state, "", message.search);
    }
  };
  document.addEventListener("click", onClick);
  window.addEventListener("popstate", onPop);
  model.on("msg:custom", onMessage);
  return () => {
    document.removeEventListener("click", onClick);
    window.removeEventListener("popstate", onPop);
    model.off("msg:custom", onMessage);
  };
}

export default { initialize, render() {} };
