// cleanse audit report: sort tables, filter sources, fold documents, switch highlights. No network, no libraries.
(function () {
  "use strict";
  document.documentElement.classList.replace("no-js", "js");

  // --- sortable tables: click a column header; empty cells stay last ---------------------------------------
  function cellValue(row, index) {
    const cell = row.cells[index];
    if (!cell) return "";
    return cell.dataset.v !== undefined ? cell.dataset.v : cell.textContent.trim();
  }
  function compare(a, b, numeric, ascending) {
    if (a === "" || b === "") return (a === "") - (b === "");
    const order = numeric ? parseFloat(a) - parseFloat(b) : a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });
    return ascending ? order : -order;
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    const headers = Array.from(table.tHead.rows[0].cells);
    headers.forEach(function (th, index) {
      const button = th.querySelector("button");
      if (!button) return;
      button.addEventListener("click", function () {
        const ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        const body = table.tBodies[0];
        const numeric = th.dataset.kind === "num";
        Array.from(body.rows)
          .sort(function (a, b) { return compare(cellValue(a, index), cellValue(b, index), numeric, ascending); })
          .forEach(function (row) { body.appendChild(row); });
      });
    });
  });

  // --- overview filter: by name and by band; filtered sources leave the page too ---------------------------
  const filter = document.getElementById("source-filter");
  const bandBoxes = Array.from(document.querySelectorAll("[data-band-filter]"));
  const count = document.getElementById("source-count");
  function applyFilter() {
    const words = filter ? filter.value.trim().toLowerCase() : "";
    const bands = new Set(bandBoxes.filter(function (b) { return b.checked; }).map(function (b) { return b.dataset.bandFilter; }));
    let shown = 0, total = 0;
    document.querySelectorAll("#overview tbody tr").forEach(function (row) {
      const visible = row.dataset.name.includes(words) && (row.dataset.band === "none" || bands.has(row.dataset.band));
      row.hidden = !visible;
      total += 1;
      if (visible) shown += 1;
      const link = row.querySelector("a[href^='#']");
      const section = link && document.getElementById(link.hash.slice(1));
      if (section) section.hidden = !visible;
    });
    if (count) count.textContent = shown + " of " + total + " sources shown";
  }
  if (filter) filter.addEventListener("input", applyFilter);
  bandBoxes.forEach(function (box) { box.addEventListener("change", applyFilter); });
  applyFilter();

  // --- documents fold; the one named in the address (#d2-1) opens ------------------------------------------
  const docs = Array.from(document.querySelectorAll("section.doc"));
  function setOpen(doc, open) {
    doc.classList.toggle("collapsed", !open);
    const button = doc.querySelector(".fold");
    if (button) button.setAttribute("aria-expanded", String(open));
  }
  docs.forEach(function (doc) {
    setOpen(doc, false);
    doc.querySelector(".fold").addEventListener("click", function () { setOpen(doc, doc.classList.contains("collapsed")); });
  });
  // --- the address picks what is shown: #s2 shows source 2 alone, #d2-1 also opens its document 1 ----------
  const sources = Array.from(document.querySelectorAll("section.source"));
  function route() {
    const id = decodeURIComponent(location.hash.slice(1));
    const match = /^(?:s(\d+)|d(\d+)-\d+)$/.exec(id);
    const chosen = match && document.getElementById("s" + (match[1] || match[2]));
    document.body.classList.toggle("focused", Boolean(chosen));
    sources.forEach(function (section) { section.classList.toggle("selected", section === chosen); });
    const target = chosen && document.getElementById(id);
    if (!target) return;
    if (target.matches("section.doc")) setOpen(target, true);
    target.scrollIntoView();
  }
  window.addEventListener("hashchange", route);
  document.addEventListener("click", function (event) {
    const link = event.target.closest && event.target.closest("a[href^='#']");
    if (link && link.hash === location.hash) route();
  });
  route();

  // --- highlights: each signal can be switched off; a run shows the first signal still on -----------------
  docs.forEach(function (doc) {
    const off = new Set();
    function repaint() {
      doc.querySelectorAll("article mark[data-s], .removed[data-s]").forEach(function (item) {
        const names = item.dataset.s.split(" "), directions = item.dataset.d.split(" ");
        const first = names.findIndex(function (name) { return !off.has(name); });
        if (item.tagName === "MARK") item.className = first < 0 ? "off" : directions[first];
        else item.classList.toggle("flag-off", first < 0);
      });
    }
    doc.querySelectorAll("input[data-signal]").forEach(function (box) {
      box.addEventListener("change", function () {
        if (box.checked) off.delete(box.dataset.signal); else off.add(box.dataset.signal);
        repaint();
      });
    });
    const removed = doc.querySelector("input[data-removed]");
    if (removed) removed.addEventListener("change", function () { doc.classList.toggle("hide-removed", !removed.checked); });
  });
})();
