/* Receipt page: a "Copy the link" button for the private status link, and the receipt is
   kept on this phone under "My reports". */
(() => {
  "use strict";
  const button = document.getElementById("copy-link");
  const input = document.getElementById("status-link");
  const section = document.getElementById("receipt");
  if (section && input && window.Outbox && Outbox.supported) {
    const r = section.dataset;
    Outbox.keepReceipt({ id: r.reference, reference: r.reference, status_url: input.value,
                         category_name: r.category, state_label: r.state, area: r.area || null,
                         created_at: r.created, seen: true }).catch(() => {});
  }
  if (!button || !input) return;
  button.hidden = false;
  const label = button.textContent;
  const live = document.createElement("span");
  live.className = "visually-hidden";
  live.setAttribute("role", "status");
  button.after(live);
  let timer = 0;

  function copied() {
    const msg = button.dataset.copied;
    if (!msg) return;
    button.textContent = msg;
    live.textContent = msg;
    clearTimeout(timer);
    timer = setTimeout(() => { button.textContent = label; live.textContent = ""; }, 4000);
  }
  function selectOnly() {
    input.focus();
    input.select();
    input.setSelectionRange(0, input.value.length);
  }

  input.addEventListener("focus", () => input.select());
  button.addEventListener("click", () => {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(copied, selectOnly);
    } else {
      selectOnly();
      let ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      if (ok) copied();
    }
  });
})();
