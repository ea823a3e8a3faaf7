/* Small enhancements; every page works without them.
   - "/" focuses the search box (unless typing in a field already).
   - Typing an instrument number ("84", "84/NQ") offers matching cited instruments
     from /api/instruments in the box's <datalist>. */
(function () {
  "use strict";
  var box = document.getElementById("q");
  if (!box) {
    return;
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    var target = event.target;
    var tag = target && target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)) {
      return;
    }
    event.preventDefault();
    box.focus();
    box.select();
  });

  var list = document.getElementById("instrument-suggestions");
  var url = box.getAttribute("data-suggest-url");
  if (!list || !url || !window.fetch) {
    return;
  }
  var timer = null;
  var asked = "";

  function trailingNumber(value) {
    var match = value.match(/(^|\s)(\d[^\s]*)$/);
    return match ? match[2] : "";
  }

  function show(value, token, instruments) {
    var prefix = value.slice(0, value.length - token.length);
    var wanted = token.toLowerCase();
    var seen = {};
    var options = [];
    instruments.forEach(function (item) {
      if (item.canonical.toLowerCase().indexOf(wanted) !== 0 || seen[item.canonical]) {
        return;
      }
      seen[item.canonical] = true;
      var option = document.createElement("option");
      option.value = prefix + item.canonical;
      option.label = item.label + " · " + item.citation_count + " lần trích dẫn";
      options.push(option);
    });
    list.replaceChildren.apply(list, options);
  }

  function suggest() {
    var value = box.value;
    var token = trailingNumber(value);
    if (!token) {
      asked = "";
      list.replaceChildren();
      return;
    }
    if (token === asked) {
      return;
    }
    asked = token;
    fetch(url + "?per_page=20&q=" + encodeURIComponent(token), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && trailingNumber(box.value) === token) {
          show(box.value, token, data.instruments || []);
        }
      })
      .catch(function () { /* suggestions are optional */ });
  }

  box.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(suggest, 150);
  });
})();
