/* tracker dashboard: draws the charts (figure JSON blocks -> plotly) and makes tables sortable and filterable. */
"use strict";

function drawCharts() {
  if (typeof Plotly === "undefined") { return; }
  document.querySelectorAll("script.figure[type='application/json']").forEach(function (block) {
    var target = document.getElementById(block.dataset.for);
    var figure = JSON.parse(block.textContent);
    Plotly.newPlot(target, figure.data, figure.layout, { responsive: true, displaylogo: false });
  });
}

function cellValue(row, index, type) {
  var cell = row.cells[index];
  var raw = cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent.trim();
  if (type === "number") { var n = parseFloat(raw); return isNaN(n) ? -Infinity : n; }
  return raw.toLowerCase();
}

function makeSortable(table) {
  var headers = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(headers, function (th, index) {
    th.addEventListener("click", function () {
      var descending = th.getAttribute("aria-sort") === "ascending";
      Array.prototype.forEach.call(headers, function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      var type = th.dataset.type || "text";
      rows.sort(function (a, b) {
        var x = cellValue(a, index, type), y = cellValue(b, index, type);
        var order = x < y ? -1 : x > y ? 1 : 0;
        return descending ? -order : order;
      });
      var fragment = document.createDocumentFragment();
      rows.forEach(function (row) { fragment.appendChild(row); });
      body.appendChild(fragment);
    });
  });
}

function filterTable(form, table) {
  var q = form.q.value.trim().toLowerCase();
  var wanted = { status: form.status.value, tag: form.tag.value, speaker: form.speaker.value, country: form.country.value };
  var shown = 0, rows = table.tBodies[0].rows;
  for (var i = 0; i < rows.length; i++) {
    var d = rows[i].dataset;
    var keep = (!wanted.status || d.status === wanted.status)
      && (!wanted.tag || (" " + d.tags + " ").indexOf(" " + wanted.tag + " ") >= 0)
      && (!wanted.speaker || d.speaker === wanted.speaker)
      && (!wanted.country || d.country === wanted.country)
      && (!q || rows[i].textContent.toLowerCase().indexOf(q) >= 0);
    rows[i].hidden = !keep;
    if (keep) { shown++; }
  }
  document.getElementById("shown").textContent = shown + " of " + rows.length + " shown";
  document.querySelectorAll("button.count").forEach(function (button) {
    button.setAttribute("aria-pressed", String(button.dataset.status === wanted.status));
  });
}

function setUpFilters() {
  var form = document.getElementById("filters"), table = document.getElementById("table");
  if (!form || !table) { return; }
  var update = function () { filterTable(form, table); };
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("reset", function () { setTimeout(update, 0); });
  document.querySelectorAll("button.count").forEach(function (button) {
    button.addEventListener("click", function () {
      form.status.value = form.status.value === button.dataset.status ? "" : button.dataset.status;
      update();
      table.scrollIntoView({ behavior: "smooth" });
    });
  });
}

document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("table.sortable").forEach(makeSortable);
  setUpFilters();
  drawCharts();
});
