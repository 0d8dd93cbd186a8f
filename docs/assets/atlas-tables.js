/* Fusion Atlas: index tables readers can sort, filter and download.
 *
 * Each table the site generates sits in <div class="atlas-table" data-table="devices"
 * data-columns="name,status,..." data-facets="status,...">; each cell starts with an empty
 * <span class="sort-key" data-sort="..." data-value="..."> holding what to sort by (a date
 * as YYYY-MM-DD, a number in its base unit) and, in a facet column, the code to filter by.
 * Sorting is tablesort's (vendored). The view lives in the address, namespaced by table and
 * without defaults: ?t.devices.sort=first_plasma&t.devices.dir=desc&t.devices.q=jt&t.devices.status=retired
 * (in the fragment when the page is a file: browsers refuse to rewrite a file's query).
 * Unknown or malformed parameters are ignored. Without JavaScript the whole table is there.
 */
(function () {
  "use strict";

  var WORDS = {
    en: {filter: "Filter", all: "all", rows: "{n} of {m} rows", csv: "Download these rows as CSV"},
    zh: {filter: "筛选", all: "全部", rows: "共{m}行，显示{n}行", csv: "下载这些行（CSV）"}
  };
  var MAX = 200; // the longest value a parameter may hold
  var EMPTY = "\uffff"; // what an empty cell sorts as: after every value, when ascending

  // Numbers sort by value, text by its sort key; empty cells come last either way. (tablesort
  // sorts descending with these functions, and reverses the result for ascending.)
  var sorting = null; // the table being sorted
  function descending() {
    return !!(sorting && sorting.tHead.querySelector('th[aria-sort="descending"]'));
  }
  function withEmptiesLast(compare) {
    return function (a, b) {
      if (a === EMPTY || b === EMPTY) {
        if (a === b) {
          return 0;
        }
        var last = descending() ? -1 : 1; // where an empty cell must go, before the reversal
        return a === EMPTY ? -last : last;
      }
      return compare(a, b);
    };
  }
  if (window.Tablesort) {
    window.Tablesort.extend("atlas-number", function () { return false; }, withEmptiesLast(function (a, b) {
      var x = parseFloat(a), y = parseFloat(b);
      return x === y ? 0 : (y < x ? -1 : 1);
    }));
    // Text by the reader's language: Chinese names by pinyin (the browser's own collation,
    // zh-Hans-u-co-pinyin), English ignoring case, numbers inside text by value (JT-60 < JT-60SA).
    var collator = null;
    try {
      collator = new Intl.Collator(words() === WORDS.zh ? "zh-Hans-u-co-pinyin" : "en", {numeric: true, sensitivity: "base"});
    } catch (e) { /* an old browser: plain comparison below */ }
    window.Tablesort.extend("atlas-text", function () { return false; }, withEmptiesLast(function (a, b) {
      if (collator) {
        return collator.compare(b, a);
      }
      a = a.toLowerCase();
      b = b.toLowerCase();
      return a === b ? 0 : (a < b ? 1 : -1);
    }));
  }

  function words() {
    return WORDS[(document.documentElement.lang || "en").slice(0, 2)] || WORDS.en;
  }

  function readState() {
    var query = window.location.search.slice(1);
    var hash = window.location.hash.slice(1);
    if (!query && hash.indexOf("t.") === 0) {
      query = hash;
    }
    try {
      return new URLSearchParams(query);
    } catch (e) {
      return new URLSearchParams("");
    }
  }

  function writeState(params) {
    var text = params.toString();
    var path = window.location.pathname;
    try {
      window.history.replaceState(null, "", path + (text ? "?" + text : ""));
    } catch (e) {
      try {
        window.history.replaceState(null, "", path + window.location.search + (text ? "#" + text : ""));
      } catch (e2) { /* the view still works; it is only not in the address */ }
    }
    // The language menu keeps the view: the other edition has the same columns.
    var links = document.querySelectorAll(".md-select__link[hreflang]");
    for (var i = 0; i < links.length; i++) {
      var href = links[i].getAttribute("href").replace(/[?#].*$/, "");
      links[i].setAttribute("href", href + (text ? (window.location.protocol === "file:" ? "#" : "?") + text : ""));
    }
  }

  function cellText(td) {
    var copy = td.cloneNode(true);
    var notes = copy.querySelectorAll("sup, .sort-key");
    for (var i = 0; i < notes.length; i++) {
      notes[i].parentNode.removeChild(notes[i]);
    }
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function csvCell(text) {
    if (/^[=+\-@\t\r]/.test(text)) {
      text = "'" + text; // a spreadsheet must not run it as a formula
    }
    return /[",\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  // A cell of a many-valued facet (the entities an event involves) names each code and its
  // label in data-labels (JSON); its data-value lists the codes, separated by spaces.
  function facetLabels(td) {
    var text = td.getAttribute("data-labels");
    if (!text) {
      return null;
    }
    try {
      var parsed = JSON.parse(text);
      var out = {};
      Object.keys(parsed).forEach(function (c) { out[c] = String(parsed[c]); });
      return out;
    } catch (e) {
      return null;
    }
  }

  function facetCodes(td) {
    var code = td.getAttribute("data-value") || "";
    return td.hasAttribute("data-labels") ? code.split(" ") : [code];
  }

  function squash(text) {
    return text.toLowerCase().replace(/[\s\-_·.]+/g, "");
  }

  function setUp(box) {
    var table = box.querySelector("table");
    if (!table || !table.tHead || !window.Tablesort) {
      return;
    }
    var name = box.getAttribute("data-table");
    var keys = (box.getAttribute("data-columns") || "").split(",");
    var facets = (box.getAttribute("data-facets") || "").split(",").filter(Boolean);
    var headers = table.tHead.rows[0].cells;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var w = words();
    var prefix = "t." + name + ".";

    // Sort keys and facet codes from the leading spans; numeric columns sort as numbers.
    var numeric = keys.map(function () { return true; });
    rows.forEach(function (row) {
      for (var c = 0; c < row.cells.length; c++) {
        var key = row.cells[c].querySelector(".sort-key");
        if (!key) {
          continue;
        }
        var sort = key.getAttribute("data-sort") || "";
        row.cells[c].setAttribute("data-sort", sort === "" ? EMPTY : sort);
        if (key.hasAttribute("data-value")) {
          row.cells[c].setAttribute("data-value", key.getAttribute("data-value"));
        }
        if (key.hasAttribute("data-labels")) {
          row.cells[c].setAttribute("data-labels", key.getAttribute("data-labels"));
        }
        if (sort !== "" && isNaN(Number(sort))) {
          numeric[c] = false;
        }
      }
      row.setAttribute("data-search", squash(row.textContent));
    });
    for (var h = 0; h < headers.length; h++) {
      headers[h].setAttribute("data-sort-method", numeric[h] && h > 0 ? "atlas-number" : "atlas-text");
    }
    table.addEventListener("beforeSort", function () { sorting = table; });

    // Controls: free text, one menu per facet, the row count and the CSV of what is shown.
    var controls = document.createElement("div");
    controls.className = "atlas-table__controls";
    var label = document.createElement("label");
    var input = document.createElement("input");
    input.type = "search";
    input.className = "atlas-table__filter";
    label.appendChild(document.createTextNode(w.filter + " "));
    label.appendChild(input);
    controls.appendChild(label);
    var menus = {};
    facets.forEach(function (facet) {
      var column = keys.indexOf(facet);
      if (column < 0) {
        return;
      }
      var seen = {};
      rows.forEach(function (row) {
        var td = row.cells[column];
        var code = td && td.getAttribute("data-value");
        if (code) {
          var many = facetLabels(td);
          if (many) {
            Object.keys(many).forEach(function (c) { seen[c] = many[c]; });
          } else {
            seen[code] = cellText(td);
          }
        }
      });
      var select = document.createElement("select");
      select.setAttribute("data-facet", facet);
      select.setAttribute("aria-label", headers[column].textContent.trim());
      var any = document.createElement("option");
      any.value = "";
      any.textContent = headers[column].textContent.trim() + ": " + w.all;
      select.appendChild(any);
      Object.keys(seen).sort(function (a, b) { return seen[a].localeCompare(seen[b]); }).forEach(function (code) {
        var option = document.createElement("option");
        option.value = code;
        option.textContent = seen[code];
        select.appendChild(option);
      });
      menus[facet] = {select: select, column: column};
      controls.appendChild(select);
    });
    var count = document.createElement("span");
    count.className = "atlas-table__count";
    count.setAttribute("aria-live", "polite");
    controls.appendChild(count);
    var csv = document.createElement("a");
    csv.className = "atlas-table__csv";
    csv.textContent = w.csv;
    csv.setAttribute("download", name + ".csv");
    controls.appendChild(csv);
    box.insertBefore(controls, box.firstChild);

    var sorter = new window.Tablesort(table);
    var url = null;

    function apply() {
      var needle = squash(input.value);
      var shown = [];
      rows.forEach(function (row) {
        var ok = !needle || row.getAttribute("data-search").indexOf(needle) >= 0;
        Object.keys(menus).forEach(function (facet) {
          var want = menus[facet].select.value;
          var td = row.cells[menus[facet].column];
          if (want && (!td || facetCodes(td).indexOf(want) < 0)) {
            ok = false;
          }
        });
        row.hidden = !ok;
        if (ok) {
          shown.push(row);
        }
      });
      count.textContent = w.rows.replace("{n}", shown.length).replace("{m}", rows.length);
      var lines = [Array.prototype.map.call(headers, function (th) { return csvCell(cellText(th)); }).join(",")];
      Array.prototype.slice.call(table.tBodies[0].rows).forEach(function (row) {
        if (!row.hidden) {
          lines.push(Array.prototype.map.call(row.cells, function (td) { return csvCell(cellText(td)); }).join(","));
        }
      });
      if (url) {
        URL.revokeObjectURL(url);
      }
      url = URL.createObjectURL(new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], {type: "text/csv;charset=utf-8"}));
      csv.href = url;
    }

    function save() {
      var params = readState();
      Array.from(params.keys()).forEach(function (k) {
        if (k.indexOf(prefix) === 0) {
          params.delete(k);
        }
      });
      var sorted = table.tHead.querySelector("th[aria-sort]");
      if (sorted) {
        params.set(prefix + "sort", keys[sorted.cellIndex]);
        if (sorted.getAttribute("aria-sort") === "descending") {
          params.set(prefix + "dir", "desc");
        }
      }
      if (input.value) {
        params.set(prefix + "q", input.value.slice(0, MAX));
      }
      Object.keys(menus).forEach(function (facet) {
        if (menus[facet].select.value) {
          params.set(prefix + facet, menus[facet].select.value);
        }
      });
      writeState(params);
    }

    // The view the address asks for; anything unknown is left out.
    var state = readState();
    var q = state.get(prefix + "q");
    if (q && q.length <= MAX) {
      input.value = q;
    }
    Object.keys(menus).forEach(function (facet) {
      var want = state.get(prefix + facet);
      var select = menus[facet].select;
      if (want && Array.prototype.some.call(select.options, function (o) { return o.value === want; })) {
        select.value = want;
      }
    });
    var by = keys.indexOf(state.get(prefix + "sort") || "");
    if (by >= 0 && by < headers.length) {
      sorter.sortTable(headers[by]);
      if (state.get(prefix + "dir") === "desc") {
        sorter.sortTable(headers[by]);
      }
    }
    apply();
    save();

    input.addEventListener("input", function () { apply(); save(); });
    Object.keys(menus).forEach(function (facet) {
      menus[facet].select.addEventListener("change", function () { apply(); save(); });
    });
    table.addEventListener("afterSort", function () { apply(); save(); });
  }

  // Long notes in table cells fold away on a phone (macros/render/page.py: fold); they are
  // open otherwise, and without JavaScript.
  function foldNotes() {
    if (!window.matchMedia || !window.matchMedia("(max-width: 44.9375em)").matches) {
      return;
    }
    var notes = document.querySelectorAll("details.atlas-fold[open]");
    for (var i = 0; i < notes.length; i++) {
      notes[i].removeAttribute("open");
    }
  }

  // The theme wraps each prose table in a box that scrolls sideways on a phone: a keyboard
  // must be able to reach it to scroll it (axe: scrollable-region-focusable).
  function focusableScrollBoxes() {
    var boxes = document.querySelectorAll(".md-typeset__scrollwrap:not([tabindex])");
    for (var i = 0; i < boxes.length; i++) {
      boxes[i].setAttribute("tabindex", "0");
    }
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(focusableScrollBoxes); // after the theme has wrapped the tables
  }

  function start() {
    foldNotes();
    focusableScrollBoxes();
    var boxes = document.querySelectorAll(".atlas-table");
    for (var i = 0; i < boxes.length; i++) {
      setUp(boxes[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
