/* Fusion Atlas: the page asked for first, in the reader's language.
 *
 * One index serves both editions (Material's search). This script reorders what the theme
 * shows:
 *  1. the page named exactly by what was typed comes first: any name, alias, abbreviation,
 *     form without hyphens or spaces, or traditional-character form of one page
 *     (search/atlas-names.js, written from the data by macros/publish/search.py). If the
 *     theme's search did not list that page among its results, it is added at the top.
 *  2. then the reader's edition: on a Chinese page the Chinese pages, on an English page
 *     the English ones, each group in the order of the theme's scores.
 * The names file is loaded the first time search is used. Nothing leaves the site; no
 * inline script (the Content-Security-Policy stays strict).
 *
 * window.atlasSearch.order(query, locations) is the same ordering on the worker's locations
 * (paths from the site's root), for the tests.
 */
(function () {
  "use strict";

  var zhPage = (document.documentElement.lang || "").slice(0, 2) === "zh";
  var ZH = /^zh\//;
  // As name_key in macros/publish/search.py: case, width, spaces, hyphens, dots, slashes,
  // brackets and a few punctuation marks do not count.
  var DROP = /[\s\-_·.–—\/'’()（）,，:：]+/g;

  function key(text) {
    var s = String(text || "");
    if (s.normalize) {
      s = s.normalize("NFKC");
    }
    return s.toLowerCase().replace(DROP, "");
  }

  var base = null; // the site's root, from the theme's configuration
  function root() {
    if (base === null) {
      var config = document.querySelector("script#__config");
      var relative = "./";
      try {
        relative = config ? JSON.parse(config.textContent).base + "/" : "./";
      } catch (e) { /* the page's folder, then */ }
      base = new URL(relative, document.baseURI).href;
    }
    return base;
  }

  var loading = null;
  function ready() {
    if (!loading) {
      loading = new Promise(function (resolve) {
        if (window.__atlasNames) {
          resolve(window.__atlasNames);
          return;
        }
        var script = document.createElement("script");
        script.src = root() + "search/atlas-names.js";
        script.onload = function () { resolve(window.__atlasNames || null); };
        script.onerror = function () { resolve(null); };
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  function names() {
    return window.__atlasNames || null;
  }

  /* The page (location from the root, and its title) that the query names, in the reader's
     edition, or null. */
  function named(query, zh) {
    var data = names();
    if (!data) {
      return null;
    }
    var k = key(query);
    if (!k || !Object.prototype.hasOwnProperty.call(data.keys, k)) {
      return null;
    }
    var page = data.pages[data.keys[k]];
    var location = (zh ? "zh/" : "") + page[0] + (data.directoryUrls ? "/" : ".html");
    return {location: location, title: zh ? page[2] : page[1]};
  }

  function pageOf(location) {
    return String(location).split("#")[0];
  }

  /* The worker's result locations as the reader sees them, on a page of the Chinese edition
     if zh is true (by default, this page's edition). */
  function order(query, locations, zh) {
    zh = zh === undefined ? zhPage : zh;
    var mine = locations.filter(function (l) { return ZH.test(l) === zh; });
    var others = locations.filter(function (l) { return ZH.test(l) !== zh; });
    var wanted = mine.concat(others);
    var page = named(query, zh);
    if (page) {
      wanted = [page.location].concat(wanted.filter(function (l) { return pageOf(l) !== page.location; }));
    }
    return wanted;
  }

  // ---- the theme's result list -------------------------------------------------------

  function locationOf(item) {
    var link = item.querySelector("a.md-search-result__link");
    if (!link) {
      return "";
    }
    var href;
    try {
      href = new URL(link.getAttribute("href"), document.baseURI).href;
    } catch (e) {
      return "";
    }
    return href.indexOf(root()) === 0 ? href.slice(root().length) : href;
  }

  function madeUp(page) {
    var item = document.createElement("li");
    item.className = "md-search-result__item";
    item.setAttribute("data-atlas-named", "");
    var link = document.createElement("a");
    link.className = "md-search-result__link";
    link.href = root() + page.location;
    link.tabIndex = -1;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    var icon = document.createElement("div");
    icon.className = "md-search-result__icon md-icon";
    var title = document.createElement("h1");
    title.textContent = page.title;
    article.appendChild(icon);
    article.appendChild(title);
    link.appendChild(article);
    item.appendChild(link);
    return item;
  }

  function reorder(list, input) {
    var items = Array.prototype.slice.call(list.children).filter(function (li) {
      return !li.hasAttribute("data-atlas-named");
    });
    var page = input ? named(input.value, zhPage) : null;
    var mine = items.filter(function (li) { return ZH.test(locationOf(li)) === zhPage; });
    var others = items.filter(function (li) { return ZH.test(locationOf(li)) !== zhPage; });
    var wanted = mine.concat(others);
    if (page) {
      var own = wanted.filter(function (li) { return pageOf(locationOf(li)) === page.location; })[0];
      var first = own || list.querySelector("[data-atlas-named]") || madeUp(page);
      wanted = [first].concat(wanted.filter(function (li) { return li !== first; }));
    }
    var current = Array.prototype.slice.call(list.children);
    var same = current.length === wanted.length && current.every(function (li, i) { return li === wanted[i]; });
    if (!same) {
      current.forEach(function (li) {
        if (wanted.indexOf(li) < 0) {
          list.removeChild(li); // the added page, now listed by the theme itself or no longer asked for
        }
      });
      wanted.forEach(function (li) { list.appendChild(li); });
    }
  }

  function start() {
    var list = document.querySelector(".md-search-result__list");
    var input = document.querySelector("input.md-search__input");
    if (!list || !window.MutationObserver) {
      return;
    }
    var busy = false;
    function run() {
      if (busy) {
        return;
      }
      busy = true;
      reorder(list, input);
      busy = false;
    }
    new MutationObserver(run).observe(list, {childList: true});
    if (input) {
      input.addEventListener("focus", function () {
        ready().then(function () {
          run();
          window.atlasSearch.namesLoaded = true;
        });
      }, {once: true});
    }
  }

  window.atlasSearch = {ready: ready, order: order, key: key, namesLoaded: false};

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
