// labelbook: the quick reference card's print button. No spec text is ever evaluated here.
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest(".lb-print");
  if (button) {
    event.preventDefault();
    window.print();
  }
});

// A decision tree wider than the page scrolls inside its frame: start with the first
// question in view rather than the left edge of the drawing.
function centerTreeStart() {
  document.querySelectorAll(".lb-tree").forEach(function (frame) {
    var start = frame.querySelector("g.node");
    if (!start || frame.scrollWidth <= frame.clientWidth) return;
    var box = start.getBoundingClientRect();
    var framed = frame.getBoundingClientRect();
    frame.scrollLeft += box.left + box.width / 2 - (framed.left + framed.width / 2);
  });
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", centerTreeStart);
} else {
  centerTreeStart();
}

// A frozen release cannot know of the releases after it: compare its version with the
// guideline's versions.json (beside the release folders) and, when a newer one exists,
// show the page as outdated everywhere it says its version: the chip ("outdated: newest
// is 2.1.0"), the printed header ("SUPERSEDED by 2.1.0") and Material's banner.
function cssString(text) {
  var out = "";
  for (var c of text) out += /[A-Za-z0-9 .,:]/.test(c) ? c : "\\" + c.codePointAt(0).toString(16) + " ";
  return '"' + out + '"';
}

function markOutdated() {
  var chip = document.querySelector(".lb-version-chip");
  var config = document.getElementById("__config");
  if (!chip || chip.getAttribute("data-lb-frozen") !== "1" || !config || !window.fetch) return;
  var base;
  try {
    base = new URL(JSON.parse(config.textContent).base, location.href);
  } catch (error) {
    return;
  }
  var current = chip.getAttribute("data-lb-version");
  fetch(new URL("../versions.json", base)).then(function (response) {
    return response.ok ? response.json() : [];
  }).then(function (versions) {
    var newest = versions.filter(function (v) { return (v.aliases || []).indexOf("latest") >= 0; })[0] || versions[0];
    if (!newest || newest.version === current) return;
    chip.classList.remove("lb-version-chip--released");
    chip.classList.add("lb-version-chip--outdated");
    chip.setAttribute("data-lb-newest", newest.version);
    chip.querySelector(".lb-version-chip__state").textContent = "outdated: newest is " + newest.version;
    document.querySelectorAll(".lb-print-header").forEach(function (header) {
      header.classList.add("lb-print-header--superseded");
      header.querySelector(".lb-print-header__state").textContent =
        "SUPERSEDED by " + newest.version + ": do not use for labeling";
      // The header of every printed page says it too, in red.
      var style = document.createElement("style");
      style.media = "print";
      style.textContent = "@page { @top-left { content: " + cssString(header.textContent.replace(/\s+/g, " ").trim()) +
        "; color: #b3261e; font-weight: 700; font-size: 9pt; } }";
      document.body.appendChild(style);  // after the page's own print style, so it wins
    });
    document.querySelectorAll(".lb-newest-name").forEach(function (name) {
      name.textContent = " by " + newest.version;
    });
  }).catch(function () {});
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", markOutdated);
} else {
  markOutdated();
}

// The compare page: every pair of releases is on the page (pre-rendered, hidden); the form
// shows the pair picked, through the address (#compare-<old>--<new>), so a comparison can
// be linked and the browser's back button works. Without a script, the index links work.
function setupCompare() {
  var form = document.querySelector("[data-lb-compare]");
  if (!form) return;
  var message = form.querySelector(".lb-compare-message");
  function show() {
    var match = /^#compare-(.+)--(.+)$/.exec(location.hash);
    if (match) {
      form.elements.old.value = match[1];
      form.elements["new"].value = match[2];
    }
    var id = "compare-" + form.elements.old.value + "--" + form.elements["new"].value;
    var found = false;
    document.querySelectorAll(".lb-compare-pair").forEach(function (section) {
      var shown = section.id === id;
      section.classList.toggle("lb-shown", shown);
      found = found || shown;
    });
    message.textContent = found ? "" : "Pick an older release first and a newer one second.";
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var id = "compare-" + form.elements.old.value + "--" + form.elements["new"].value;
    if (location.hash !== "#" + id) history.pushState(null, "", "#" + id);
    show();
  });
  window.addEventListener("hashchange", show);
  show();
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", setupCompare);
} else {
  setupCompare();
}
