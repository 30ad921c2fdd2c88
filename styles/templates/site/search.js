// The search box of the site's index.html: shows only the leaflets whose title,
// subtitle, summary or topics (the elements marked data-search) contain every
// word typed, accents and case aside. It runs in the reader's browser, with no
// server; without it the list is simply complete. A link to index.html?q=words
// opens the page already searched. The words it says are in the page's
// #search-status element (styles/templates/site/index.html), not here.
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var input = document.getElementById("search");
  var status = document.getElementById("search-status");
  var list = document.getElementById("leaflets");
  if (!form || !input || !status || !list) {
    return;
  }
  var items = Array.prototype.slice.call(list.querySelectorAll("li"));

  function folded(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  var searched = items.map(function (item) {
    var parts = item.querySelectorAll("[data-search]");
    return folded(Array.prototype.map.call(parts, function (part) {
      return part.textContent;
    }).join(" "));
  });

  function filter() {
    var words = folded(input.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (item, index) {
      var matches = words.every(function (word) {
        return searched[index].indexOf(word) !== -1;
      });
      item.hidden = !matches;
      if (matches) {
        shown += 1;
      }
    });
    if (words.length === 0) {
      status.textContent = "";
    } else if (shown === 0) {
      status.textContent = status.getAttribute("data-none");
    } else {
      status.textContent = status.getAttribute("data-some")
        .replace("{shown}", String(shown)).replace("{total}", String(items.length));
    }
  }

  form.hidden = false;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    filter();
  });
  input.addEventListener("input", filter);
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    input.value = query;
  }
  filter();
}());
