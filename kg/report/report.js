(function () {
  "use strict";
  function key(cell) {
    var v = cell.getAttribute("data-sort") || cell.textContent.trim();
    var n = parseFloat(v.replace(/,/g, ""));
    return isNaN(n) || !/^-?[\d.,]/.test(v) ? v : n;
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("thead th").forEach(function (th, col) {
      th.classList.add("sortable");
      th.addEventListener("click", function () {
        var body = table.tBodies[0], dir = th.getAttribute("data-dir") === "asc" ? -1 : 1;
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a.cells[col]), y = key(b.cells[col]);
          if (typeof x === typeof y) { return (x < y ? -1 : x > y ? 1 : 0) * dir; }
          return (typeof x === "number" ? -1 : 1) * dir;
        });
        rows.forEach(function (r) { body.appendChild(r); });
        th.setAttribute("data-dir", dir === 1 ? "asc" : "desc");
      });
    });
  });
  var controls = document.getElementById("finding-controls");
  if (!controls) { return; }
  var text = document.getElementById("finding-filter"), sev = document.getElementById("finding-severity");
  var rows = document.querySelectorAll("table.findings tbody tr"), count = document.getElementById("finding-count");
  function apply() {
    var q = text.value.trim().toLowerCase(), s = sev.value, shown = 0;
    rows.forEach(function (r) {
      var ok = (!s || r.getAttribute("data-severity") === s) && (!q || r.textContent.toLowerCase().indexOf(q) >= 0);
      r.hidden = !ok; if (ok) { shown += 1; }
    });
    count.textContent = shown + " / " + rows.length;
  }
  controls.hidden = false;
  text.addEventListener("input", apply); sev.addEventListener("change", apply); apply();
})();
