// Slow actions (writing copy, translating, a reply in another language) take seconds to
// minutes. A form marked data-busy="message" says so while the server works, and its buttons
// are disabled so a second click does not start the same work again. No framework, no CDN.
"use strict";
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-busy")) return;
  if (form.classList.contains("busy")) { event.preventDefault(); return; }
  form.classList.add("busy");
  form.setAttribute("aria-busy", "true");
  var note = form.querySelector(".busy-note");
  if (!note) {
    note = document.createElement("p");
    note.className = "busy-note";
    note.setAttribute("role", "status");
    note.innerHTML = '<span class="spinner" aria-hidden="true"></span><span></span>';
    form.appendChild(note);
  }
  // a button may say what it starts (Save beside Dry run): its own data-busy comes first
  var said = event.submitter && event.submitter.getAttribute("data-busy");
  note.lastChild.textContent = said || form.getAttribute("data-busy") || "Working… this can take a minute.";
  // Disable after the browser has read the form, so the clicked button's value is still sent.
  setTimeout(function () {
    form.querySelectorAll("button, input[type=submit]").forEach(function (b) { b.disabled = true; });
  }, 0);
});
// Coming back with the browser's Back button shows the page as it was left: make it usable.
window.addEventListener("pageshow", function () {
  document.querySelectorAll("a[aria-busy=true]").forEach(function (link) {
    link.removeAttribute("aria-busy");
    if (link.nextElementSibling && link.nextElementSibling.classList.contains("busy-note")) {
      link.nextElementSibling.remove();
    }
  });
  document.querySelectorAll("form.busy").forEach(function (form) {
    form.classList.remove("busy");
    form.removeAttribute("aria-busy");
    form.querySelectorAll("button, input[type=submit]").forEach(function (b) { b.disabled = false; });
  });
});
// The copy form's button names what it will write ("Write ad text in German", not the
// value "ad_text"), its progress note too, and the catalog job's button and fields follow the
// form: it had started descriptions in English after ad headlines in French were chosen (a walk).
document.addEventListener("change", function (event) {
  var form = event.target.form;
  var button = form && form.querySelector("[data-label]");
  if (!button) return;
  var kind = form.elements.kind, language = form.elements.language;
  var what = kind.options[kind.selectedIndex].text;
  var name = language.options[language.selectedIndex].text;
  button.textContent = "Write " + what + " in " + name;
  var busy = form.getAttribute("data-busy");
  if (busy) form.setAttribute("data-busy", busy.replace(/^Writing [^…]*…/, "Writing " + what + "…"));
  var catalog = document.getElementById("copy-catalog");
  if (!catalog) return;
  catalog.elements.copy_kind.value = kind.value;
  catalog.elements.language.value = language.value;
  var start = catalog.querySelector("button");
  if (start) start.textContent = "Write " + what + " in " + name + " for every product without one";
});
// A language picker that shows its page at once (the policy forbids inline handlers such as
// onchange="...": they never ran). Its form keeps a Show button for keyboards and no script.
document.addEventListener("change", function (event) {
  var select = event.target;
  if (select instanceof HTMLSelectElement && select.hasAttribute("data-autosubmit") && select.form) {
    select.form.submit();
  }
});
// A list too wide for a phone becomes cards (style.css): each row a box, each cell named by its
// column's heading. A list that fits stays a table.
function fitLists() {
  var phone = window.matchMedia("(max-width: 700px)").matches;
  document.querySelectorAll("table.list").forEach(function (table) {
    table.classList.remove("cards");
    if (!phone || table.scrollWidth <= table.clientWidth + 1) return;
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    if (!heads.length) return;
    table.querySelectorAll("tbody tr").forEach(function (row) {
      if (row.children.length !== heads.length) return;  // a note across the columns
      Array.prototype.forEach.call(row.children, function (cell, i) {
        if (heads[i]) cell.setAttribute("data-label", heads[i]);
      });
    });
    table.classList.add("cards");
  });
}
document.addEventListener("DOMContentLoaded", fitLists);
window.addEventListener("resize", fitLists);
// A link to a slow page (translating a review: a minute or more on the local model) marked
// data-busy says so after the click, until the next page arrives.
document.addEventListener("click", function (event) {
  var link = event.target instanceof Element ? event.target.closest("a[data-busy]") : null;
  if (!link || event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey) return;
  if (link.getAttribute("aria-busy") === "true") { event.preventDefault(); return; }
  link.setAttribute("aria-busy", "true");
  var note = document.createElement("span");
  note.className = "busy-note";
  note.setAttribute("role", "status");
  note.innerHTML = ' <span class="spinner" aria-hidden="true"></span><span></span>';
  note.lastChild.textContent = link.getAttribute("data-busy");
  link.insertAdjacentElement("afterend", note);
});
// A file over the upload limit is refused before it is sent (the server says so too, after the
// whole upload): the form says the limit and which file is too large.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  var big = null;
  form.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    var most = Number(input.getAttribute("data-max-bytes"));
    Array.prototype.forEach.call(input.files || [], function (file) {
      if (file.size > most && !big) big = { input: input, file: file, most: most };
    });
  });
  var shown = form.parentNode && form.parentNode.querySelector(".upload-error");
  if (shown) shown.remove();
  if (!big) return;
  event.preventDefault();
  event.stopImmediatePropagation();
  var note = document.createElement("p");
  note.className = "error upload-error";
  note.setAttribute("role", "alert");
  var size = big.file.size < 1048576 ? Math.round(big.file.size / 1024) + " KB"
    : (big.file.size / 1048576).toFixed(1) + " MB";
  note.textContent = big.file.name + " is " + size + "; the dashboard takes files up to " + big.input.getAttribute("data-max-label") +
    ". Split it, or import it with the command line.";
  big.input.setAttribute("aria-invalid", "true");
  form.insertAdjacentElement("afterend", note);
}, true);
