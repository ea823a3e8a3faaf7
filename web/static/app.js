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

/* Around the results (each works without this script; these only save a click or a reload):
   - the page-size menu applies itself;
   - "Xem thêm" pages filter their values as one types;
   - on a report, "‹ Trước" / "Sau ›" (and the keys n, p) move between matches in place. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var size = document.getElementById("per-page");
  if (size && size.form) {
    size.addEventListener("change", function () { size.form.submit(); });
  }

  var text = document.getElementById("facet-text");
  var box = document.getElementById("facet-results");
  if (text && box && window.fetch && window.DOMParser) {
    var timer = null;
    var latest = 0;
    var refresh = function () {
      var url = text.form.action + "?" + new URLSearchParams(new FormData(text.form)).toString();
      var ticket = ++latest;
      fetch(url, { headers: { Accept: "text/html" } })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (!html || ticket !== latest) {
            return;
          }
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("facet-results");
          if (fresh) {
            box.replaceChildren.apply(box, Array.prototype.slice.call(fresh.childNodes));
            window.history.replaceState(null, "", url);
          }
        })
        .catch(function () { /* the form still works by submitting */ });
    };
    text.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 200);
    });
  }

  var nav = document.querySelector(".match-nav");
  if (!nav) {
    return;
  }
  var total = parseInt(nav.getAttribute("data-total"), 10) || 0;
  var current = parseInt(nav.getAttribute("data-current"), 10) || 0;
  var label = nav.querySelector(".match-count");
  var previous = nav.querySelector(".match-prev");
  var next = nav.querySelector(".match-next");

  function go(number) {
    var mark = document.getElementById("m-" + number);
    if (!mark) {
      return;
    }
    var old = document.querySelector("mark.current");
    if (old) {
      old.classList.remove("current");
    }
    mark.classList.add("current");
    current = number;
    label.textContent = "kết quả " + current + "/" + total;
    var url = new URL(window.location.href);
    url.searchParams.set("m", String(current));
    url.hash = "m-" + current;
    window.history.replaceState(null, "", url.toString());
    mark.scrollIntoView({ block: "center" });
    var after = current % total + 1;
    var before = current > 1 ? current - 1 : total;
    [[previous, before], [next, after]].forEach(function (pair) {
      var link = new URL(pair[0].href);
      link.searchParams.set("m", String(pair[1]));
      link.hash = "m-" + pair[1];
      pair[0].href = link.toString();
    });
  }

  function step(forward) {
    if (!total) {
      return;
    }
    go(forward ? current % total + 1 : (current > 1 ? current - 1 : total));
  }

  previous.addEventListener("click", function (event) { event.preventDefault(); step(false); });
  next.addEventListener("click", function (event) { event.preventDefault(); step(true); });
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    var tag = event.target && event.target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (event.target && event.target.isContentEditable)) {
      return;
    }
    if (event.key === "n" || event.key === "p") {
      event.preventDefault();
      step(event.key === "n");
    }
  });
})();
