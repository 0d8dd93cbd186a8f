/* Fusion Atlas: search results in the reader's language first.
 *
 * One index serves both editions (Material's search). On a Chinese page the Chinese pages
 * come first, on an English page the English ones, each group in the order of its scores:
 * a Chinese reader typing "JT-60SA" lands on the Chinese page. Nothing is fetched; no
 * inline script (the Content-Security-Policy stays strict).
 */
(function () {
  "use strict";

  var zhPage = (document.documentElement.lang || "").slice(0, 2) === "zh";
  var ZH = /(^|\/)zh\//;

  var base = null; // the site's root, from the theme's configuration
  function root() {
    if (base === null) {
      var config = document.querySelector("script#__config");
      var relative = "./";
      try {
        relative = config ? JSON.parse(config.textContent).base + "/" : "./";
      } catch (e) { /* the page's folder, then */ }
      base = new URL(relative, document.baseURI).pathname;
    }
    return base;
  }

  function isChinese(item) {
    var link = item.querySelector("a.md-search-result__link");
    if (!link) {
      return false;
    }
    var url;
    try {
      url = new URL(link.getAttribute("href"), document.baseURI);
    } catch (e) {
      return false;
    }
    var path = url.pathname.indexOf(root()) === 0 ? url.pathname.slice(root().length) : url.pathname;
    return ZH.test(path);
  }

  function reorder(list) {
    var items = Array.prototype.slice.call(list.children);
    var mine = items.filter(function (li) { return isChinese(li) === zhPage; });
    var others = items.filter(function (li) { return isChinese(li) !== zhPage; });
    var wanted = mine.concat(others);
    for (var i = 0; i < items.length; i++) {
      if (items[i] !== wanted[i]) {
        wanted.forEach(function (li) { list.appendChild(li); });
        return;
      }
    }
  }

  function start() {
    var list = document.querySelector(".md-search-result__list");
    if (!list || !window.MutationObserver) {
      return;
    }
    var busy = false;
    new MutationObserver(function () {
      if (busy) {
        return;
      }
      busy = true;
      reorder(list);
      busy = false;
    }).observe(list, {childList: true});
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
