// newsdesk web app: citation popovers on the story page, target highlighting on the article page.
// Reads only data-* attributes and writes them with textContent, never as HTML.
"use strict";

function showPopover(link) {
  const pop = document.getElementById("popover");
  if (!pop) return;
  pop.replaceChildren();
  const text = document.createElement("span");
  text.className = "excerpt";
  text.textContent = link.dataset.excerpt || "";
  const src = document.createElement("a");
  src.className = "src";
  src.href = link.getAttribute("href");
  src.textContent = "Open in its article →";
  pop.append(text, src);
  const box = link.getBoundingClientRect();
  pop.style.left = Math.max(8, Math.min(window.scrollX + box.left - 40, window.scrollX + document.documentElement.clientWidth - 430)) + "px";
  pop.style.top = (window.scrollY + box.bottom + 6) + "px";
  pop.hidden = false;
}

function hidePopover() {
  const pop = document.getElementById("popover");
  if (pop) pop.hidden = true;
}

function highlightTarget() {
  for (const el of document.querySelectorAll(".target")) el.classList.remove("target");
  const id = decodeURIComponent(location.hash.slice(1));
  if (!/^c-\d+-\d+$/.test(id)) return;
  const pieces = document.querySelectorAll('[data-c~="' + id + '"]');
  for (const el of pieces) el.classList.add("target");
  if (pieces.length) pieces[0].scrollIntoView({ block: "center" });
}

document.addEventListener("DOMContentLoaded", () => {
  for (const link of document.querySelectorAll("a.cite[data-excerpt]")) {
    link.removeAttribute("title"); // the popover replaces the native tooltip
    link.addEventListener("mouseenter", () => showPopover(link));
    link.addEventListener("focus", () => showPopover(link));
  }
  const pop = document.getElementById("popover");
  if (pop) {
    let timer = 0;
    document.addEventListener("mouseover", (e) => {
      const inside = e.target.closest && (e.target.closest("a.cite") || e.target.closest("#popover"));
      clearTimeout(timer);
      if (!inside) timer = setTimeout(hidePopover, 300);
    });
    document.addEventListener("keydown", (e) => { if (e.key === "Escape") hidePopover(); });
  }
  highlightTarget();
  window.addEventListener("hashchange", highlightTarget);
});
