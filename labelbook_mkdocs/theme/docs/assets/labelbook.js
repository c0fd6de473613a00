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

// Material names each navigation section after its label, which holds only an icon when
// the section has an index page: every such landmark would be called "" and a screen
// reader could not tell them apart. Name each after its section's page instead.
function nameNavigationSections() {
  document.querySelectorAll("nav.md-nav[aria-labelledby]").forEach(function (nav) {
    var label = document.getElementById(nav.getAttribute("aria-labelledby"));
    if (!label || label.textContent.trim()) return;
    var link = label.parentElement && label.parentElement.querySelector("a.md-nav__link");
    if (!link) return;
    nav.removeAttribute("aria-labelledby");
    nav.setAttribute("aria-label", link.textContent.replace(/\s+/g, " ").trim());
  });
}

// A frame that scrolls sideways (a wide table on a phone, a wide diagram) must be reachable
// by keyboard to be scrolled: it becomes focusable while it overflows, named after the
// heading it sits under. Checked again when the window changes size.
function focusableScrollFrames() {
  document.querySelectorAll(".md-typeset table, .md-typeset .lb-tree, .md-typeset figure.lb-plot, .md-typeset .lb-scroll").forEach(function (frame) {
    var scrolls = frame.scrollWidth > frame.clientWidth + 1 && getComputedStyle(frame).overflowX !== "visible";
    if (scrolls && !frame.hasAttribute("tabindex")) {
      frame.setAttribute("tabindex", "0");
      frame.setAttribute("data-lb-scroll-frame", "");
      if (!frame.hasAttribute("aria-label") && !frame.hasAttribute("aria-labelledby") && !frame.querySelector("caption")) {
        var heading = null;
        for (var node = frame; node && !heading; node = node.parentElement) {
          for (var before = node.previousElementSibling; before && !heading; before = before.previousElementSibling) {
            if (/^H[1-6]$/.test(before.tagName)) heading = before;
          }
        }
        var name = heading ? heading.textContent.replace(/¶/g, "").replace(/\s+/g, " ").trim() : document.title;
        frame.setAttribute("aria-label", name + " (scrolls sideways)");
        if (frame.tagName !== "TABLE") frame.setAttribute("role", "region");
      }
    } else if (!scrolls && frame.hasAttribute("data-lb-scroll-frame")) {
      frame.removeAttribute("tabindex");
      frame.removeAttribute("data-lb-scroll-frame");
    }
  });
}

function setupAccessibility() {
  nameNavigationSections();
  focusableScrollFrames();
  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(focusableScrollFrames, 100);
  });
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", setupAccessibility);
} else {
  setupAccessibility();
}

// ---------------------------------------------------------------------------------------
// The rater's decision helper, the diagram's zoom and the self-test. Their data is JSON in
// the page (generator/render/decision_helper.py); spec text is only ever set as text
// (textContent), never parsed as HTML.

function lbElement(tag, className, text) {
  var node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

function lbButton(className, text) {
  var button = lbElement("button", "md-button " + className, text);
  button.type = "button";
  return button;
}

function lbReadData(root, selector) {
  var script = root.querySelector(selector);
  try {
    return script ? JSON.parse(script.textContent) : null;
  } catch (error) {
    return null;
  }
}

// An example's text, its target token (mark: [start, end]) marked as on the label pages.
function lbExampleText(className, text, mark) {
  var block = lbElement("p", className);
  if (!mark) {
    block.textContent = text;
    return block;
  }
  block.appendChild(document.createTextNode(text.slice(0, mark[0])));
  block.appendChild(lbElement("mark", "lb-token", text.slice(mark[0], mark[1])));
  block.appendChild(document.createTextNode(text.slice(mark[1])));
  return block;
}

function lbLabelName(label) {
  return label.value ? label.value + " · " + label.name : label.name;
}

// The helper: one question at a time. Its state is the path taken, in the address as
// question number and answer, "#path=q1.no.q2.yes": a lead can send a link to a step,
// and the browser's back button goes back a step.
function setupHelper(root) {
  var data = lbReadData(root, ".lb-helper-data");
  if (!data || !data.questions.length) return;
  var byId = {};
  data.questions.forEach(function (q) { byId[q.id] = q; });
  var checklist = data.kind === "checklist";
  var steps = [];  // [{q: question, a: answer}]
  var notice = "";
  var body = lbElement("div", "lb-helper__body");
  root.appendChild(body);
  root.hidden = false;

  function first() { return checklist ? data.questions[0] : byId[data.start]; }

  function nextAfter(done) {
    if (!done.length) return first();
    if (checklist) return data.questions[done.length] || null;
    var last = done[done.length - 1].a;
    return last.next ? byId[last.next] || null : null;
  }

  function hashOf(done) {
    return "#path=" + done.map(function (s) { return "q" + s.q.n + "." + s.a.step; }).join(".");
  }

  function parse(hash) {
    var value = hash.replace(/^#path=/, "");
    var tokens = value ? decodeURIComponent(value).split(".") : [];
    var done = [];
    notice = "";
    for (var i = 0; i < tokens.length; i += 2) {
      var question = nextAfter(done);
      var answer = null;
      if (question && tokens[i] === "q" + question.n) {
        answer = question.answers.filter(function (a) { return a.step === tokens[i + 1]; })[0] || null;
      }
      if (!answer) {
        notice = "The link's step " + (i / 2 + 1) + " (" + tokens.slice(i, i + 2).join(" → ") +
          ") is not a step of this version of the tree: the walk stops before it.";
        break;
      }
      done.push({q: question, a: answer});
    }
    return done;
  }

  function go(done) {
    var hash = hashOf(done);
    if (location.hash !== hash) history.pushState(null, "", hash);
    steps = done;
    notice = "";
    render(true);
  }

  function outcome(answer) {
    if (answer.label && data.labels[answer.label]) return lbLabelName(data.labels[answer.label]);
    if (answer.escalate && data.routes[answer.escalate]) return "escalate to " + data.routes[answer.escalate].name;
    return "";
  }

  function examples(title, list) {
    var section = lbElement("div", "lb-helper__examples");
    if (!list.length) return section;
    section.appendChild(lbElement("h4", "lb-helper__subtitle", title));
    list.forEach(function (example) {
      var item = lbElement("div", "lb-helper__example");
      item.appendChild(lbExampleText("lb-helper__example-text", example.text, example.mark));
      var gold = example.gold.map(function (id) { return data.labels[id] ? lbLabelName(data.labels[id]) : id; });
      if (gold.length) item.appendChild(lbElement("p", "lb-helper__gold", "Answer: " + gold.join(", ")));
      item.appendChild(lbElement("p", "lb-muted", example.why));
      section.appendChild(item);
    });
    return section;
  }

  function labelCard(id) {
    var label = data.labels[id];
    var card = lbElement("div", "lb-helper__label");
    var name = lbElement("p", "lb-helper__label-name");
    var link = lbElement("a", "", lbLabelName(label));
    link.href = label.href;
    name.appendChild(link);
    card.appendChild(name);
    card.appendChild(lbElement("p", "lb-helper__definition", label.definition));
    return card;
  }

  function routeCard(id) {
    var route = data.routes[id];
    var card = lbElement("div", "lb-helper__route");
    var name = lbElement("p", "lb-helper__label-name", "Escalate: ");
    var link = lbElement("a", "", route.name);
    link.href = route.href;
    name.appendChild(link);
    card.appendChild(name);
    var facts = lbElement("ul", "lb-helper__facts");
    [["Who answers", route.who], ["Where", route.where], ["Answer within", route.hours + " hours"],
     ["Include", route.include.join(", ")], ["Meanwhile", route.waiting]].forEach(function (pair) {
      if (!pair[1]) return;
      var li = lbElement("li");
      li.appendChild(lbElement("strong", "", pair[0] + ": "));
      li.appendChild(document.createTextNode(pair[1]));
      facts.appendChild(li);
    });
    card.appendChild(facts);
    return card;
  }

  function result(focusables) {
    var box = lbElement("div", "lb-helper__result");
    var heading = lbElement("h3", "lb-helper__question", "");
    heading.tabIndex = -1;
    box.appendChild(heading);
    if (checklist) {
      heading.textContent = "The item's labels";
      var ticked = steps.filter(function (s) { return s.a.label; });
      var routes = steps.filter(function (s) { return s.a.escalate; });
      if (!ticked.length && !routes.length) box.appendChild(lbElement("p", "", "No label: no answer ticked one."));
      ticked.forEach(function (s) { box.appendChild(labelCard(s.a.label)); });
      routes.forEach(function (s) { box.appendChild(routeCard(s.a.escalate)); });
    } else {
      var last = steps[steps.length - 1].a;
      if (last.label && data.labels[last.label]) {
        heading.textContent = "Label: " + lbLabelName(data.labels[last.label]);
        box.appendChild(labelCard(last.label));
        box.appendChild(examples("Tricky cases", data.labels[last.label].tricky));
        box.appendChild(examples("Near misses: they do not get this label", data.labels[last.label].near));
      } else if (last.escalate && data.routes[last.escalate]) {
        heading.textContent = "Escalate: " + data.routes[last.escalate].name;
        box.appendChild(routeCard(last.escalate));
      } else {
        heading.textContent = "This answer ends the walk without a label.";
      }
    }
    focusables.push(heading);
    return box;
  }

  function render(focus) {
    body.textContent = "";
    var focusables = [];
    if (notice) body.appendChild(lbElement("p", "lb-helper__notice", notice));
    if (steps.length) {
      var trail = lbElement("nav", "lb-helper__trail");
      trail.setAttribute("aria-label", "Your answers so far");
      var list = lbElement("ol");
      steps.forEach(function (s, index) {
        var li = lbElement("li");
        var back = lbButton("lb-helper__step", "Q" + s.q.n + ": " + s.a.text);
        back.setAttribute("aria-label", "Back to Q" + s.q.n + " (you answered: " + s.a.text + ")");
        back.addEventListener("click", function () { go(steps.slice(0, index)); });
        li.appendChild(back);
        var end = outcome(s.a);
        if (end && !checklist) li.appendChild(lbElement("span", "lb-helper__outcome", " → " + end));
        list.appendChild(li);
      });
      trail.appendChild(list);
      body.appendChild(trail);
    }
    var question = nextAfter(steps);
    if (question) {
      var card = lbElement("div", "lb-helper__card");
      var heading = lbElement("h3", "lb-helper__question",
        "Q" + question.n + (checklist ? " of " + data.questions.length : "") + ". " + question.text);
      heading.tabIndex = -1;
      heading.id = "helper-q-" + question.id;
      card.appendChild(heading);
      if (question.about) card.appendChild(lbElement("p", "lb-muted", "About " + question.about + "."));
      if (question.help) card.appendChild(lbElement("p", "lb-muted lb-helper__help", question.help));
      var answers = lbElement("div", "lb-helper__answers");
      answers.setAttribute("role", "group");
      answers.setAttribute("aria-labelledby", heading.id);
      question.answers.forEach(function (answer) {
        var button = lbButton("lb-helper__answer", "");
        button.appendChild(lbElement("span", "lb-helper__answer-text", answer.text));
        if (answer.evidence) button.appendChild(lbElement("span", "lb-helper__evidence", answer.evidence));
        var end = outcome(answer);
        if (end) button.appendChild(lbElement("span", "lb-helper__leads", "→ " + end));
        button.addEventListener("click", function () { go(steps.concat([{q: question, a: answer}])); });
        answers.appendChild(button);
      });
      card.appendChild(answers);
      body.appendChild(card);
      focusables.push(heading);
    } else {
      body.appendChild(result(focusables));
    }
    var controls = lbElement("div", "lb-helper__controls");
    var backButton = lbButton("lb-helper__back", "Back");
    backButton.disabled = !steps.length;
    backButton.addEventListener("click", function () { go(steps.slice(0, -1)); });
    var restart = lbButton("lb-helper__restart", "Start over");
    restart.disabled = !steps.length;
    restart.addEventListener("click", function () { go([]); });
    controls.appendChild(backButton);
    controls.appendChild(restart);
    body.appendChild(controls);
    if (focus && focusables.length) focusables[0].focus();
  }

  function fromAddress(focus) {
    if (location.hash.indexOf("#path=") !== 0 && location.hash !== "") return;  // another anchor
    steps = parse(location.hash);
    render(focus);
  }
  window.addEventListener("popstate", function () { fromAddress(true); });
  window.addEventListener("hashchange", function () { fromAddress(true); });
  var linked = location.hash.indexOf("#path=") === 0;
  fromAddress(linked);
  if (linked) root.scrollIntoView();
}

// The diagram: fitted to the width by default; the buttons (or +, −, 0 and 1 with the
// focus on the diagram or its buttons) zoom in and out, fit it again or show it full size.
function setupTreeZoom(tools) {
  var frame = document.getElementById("tree-diagram");
  var svg = frame && frame.querySelector("svg");
  if (!svg) return;
  var natural = parseFloat(svg.getAttribute("data-lb-width") || svg.getAttribute("width")) || 800;
  var level = tools.querySelector(".lb-tree-tools__level");
  var zoom = null;  // null: fitted to the width
  tools.hidden = false;

  function fitted() { return Math.min(1, frame.clientWidth / natural); }

  function apply() {
    frame.classList.toggle("lb-tree--zoomed", zoom !== null);
    svg.style.width = zoom === null ? "" : Math.round(natural * zoom) + "px";
    level.textContent = (zoom === null ? "fitted: " : "") + Math.round((zoom === null ? fitted() : zoom) * 100) + "%";
  }

  function act(what) {
    var now = zoom === null ? fitted() : zoom;
    if (what === "in") zoom = Math.min(3, now * 1.25);
    else if (what === "out") zoom = Math.max(0.1, now / 1.25);
    else if (what === "full") zoom = 1;
    else zoom = null;
    apply();
  }

  tools.addEventListener("click", function (event) {
    var button = event.target.closest("[data-lb-zoom]");
    if (button) act(button.getAttribute("data-lb-zoom"));
  });
  var keys = {"+": "in", "=": "in", "-": "out", "0": "fit", "1": "full"};
  [frame, tools].forEach(function (node) {
    node.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey || !keys[event.key]) return;
      if (event.target.closest && event.target.closest("a")) return;  // a link of the drawing: let it be
      event.preventDefault();
      act(keys[event.key]);
    });
  });
  window.addEventListener("resize", apply);
  apply();
}

// The self-test: the worked examples one at a time; pick the answer, read why, and get
// the score at the end. "#changed" takes only the items of the labels changed in this
// version. Nothing is stored or sent.
function setupSelfTest(root) {
  var data = lbReadData(root, ".lb-self-test-data");
  if (!data || !data.items.length) return;
  var names = {};
  data.labels.forEach(function (label) { names[label.id] = label; });
  var body = lbElement("div", "lb-self-test__body");
  root.appendChild(body);
  root.hidden = false;
  var items, index, right, missed, chosen;

  function goldNames(item) {
    return item.gold.map(function (id) { return names[id] ? lbLabelName(names[id]) : id; }).join(", ");
  }

  function start() {
    var changedOnly = location.hash === "#changed";
    items = data.items.filter(function (item) { return !changedOnly || item.changed; });
    if (!items.length) items = data.items;
    index = 0;
    right = 0;
    missed = [];
    showItem(false);
  }

  function heading(text) {
    var h = lbElement("h3", "lb-self-test__heading", text);
    h.tabIndex = -1;
    return h;
  }

  function showItem(focus) {
    body.textContent = "";
    chosen = {};
    var item = items[index];
    var h = heading("Item " + (index + 1) + " of " + items.length);
    body.appendChild(h);
    body.appendChild(lbExampleText("lb-self-test__text", item.text, item.mark));
    body.appendChild(lbElement("p", "lb-muted", data.multi ? "Pick every label the item carries, then Check."
      : data.tokens ? "Which tag does the marked token get?" : "Which label does the item get?"));
    var answers = lbElement("div", "lb-self-test__answers");
    answers.setAttribute("role", "group");
    answers.setAttribute("aria-label", "Answers");
    data.labels.forEach(function (label) {
      var button = lbButton("lb-self-test__answer", lbLabelName(label));
      button.setAttribute("data-lb-label", label.id);
      if (data.multi) {
        button.setAttribute("aria-pressed", "false");
        button.addEventListener("click", function () {
          chosen[label.id] = !chosen[label.id];
          button.setAttribute("aria-pressed", chosen[label.id] ? "true" : "false");
        });
      } else {
        button.addEventListener("click", function () { chosen = {}; chosen[label.id] = true; check(); });
      }
      answers.appendChild(button);
    });
    body.appendChild(answers);
    if (data.multi) {
      var checkButton = lbButton("md-button--primary lb-self-test__check", "Check");
      checkButton.addEventListener("click", check);
      body.appendChild(checkButton);
    }
    if (focus) h.focus();
  }

  function check() {
    var item = items[index];
    var picked = data.labels.map(function (l) { return l.id; }).filter(function (id) { return chosen[id]; });
    var correct = picked.length === item.gold.length && item.gold.every(function (id) { return chosen[id]; });
    if (correct) right += 1;
    else missed.push(item);
    body.querySelectorAll(".lb-self-test__answer, .lb-self-test__check").forEach(function (b) { b.disabled = true; });
    var feedback = lbElement("div", "lb-self-test__feedback " + (correct ? "lb-self-test__feedback--right" : "lb-self-test__feedback--wrong"));
    feedback.setAttribute("role", "status");
    var h = heading(correct ? "Right: " + goldNames(item) : "Not quite. The answer: " + goldNames(item));
    feedback.appendChild(h);
    if (!correct) {
      feedback.appendChild(lbElement("p", "", "You picked: " + (picked.map(function (id) { return lbLabelName(names[id]); }).join(", ") || "nothing")));
    }
    feedback.appendChild(lbElement("p", "lb-self-test__why", item.why));
    var links = lbElement("p", "lb-muted");
    item.gold.forEach(function (id, n) {
      if (!names[id]) return;
      if (n) links.appendChild(document.createTextNode(", "));
      var a = lbElement("a", "", names[id].name);
      a.href = names[id].href;
      links.appendChild(a);
    });
    feedback.appendChild(links);
    var next = lbButton("md-button--primary lb-self-test__next", index + 1 < items.length ? "Next item" : "See my score");
    next.addEventListener("click", function () {
      index += 1;
      if (index < items.length) showItem(true);
      else score();
    });
    feedback.appendChild(next);
    body.appendChild(feedback);
    h.focus();
  }

  function score() {
    body.textContent = "";
    var h = heading("Your score");
    body.appendChild(h);
    var result = lbElement("p", "lb-self-test__score",
      right + " of " + items.length + " right (" + Math.round(100 * right / items.length) + "%).");
    result.setAttribute("data-lb-right", String(right));
    result.setAttribute("data-lb-total", String(items.length));
    body.appendChild(result);
    if (missed.length) {
      body.appendChild(lbElement("h4", "", "To read again"));
      var list = lbElement("ul", "lb-self-test__missed");
      missed.forEach(function (item) {
        var li = lbElement("li");
        li.appendChild(lbExampleText("lb-self-test__text", item.text, item.mark));
        li.appendChild(lbElement("p", "lb-muted", "Answer: " + goldNames(item) + ". " + item.why));
        list.appendChild(li);
      });
      body.appendChild(list);
    }
    var again = lbButton("lb-self-test__again", "Start again");
    again.addEventListener("click", function () { start(); body.querySelector("h3").focus(); });
    body.appendChild(again);
    h.focus();
  }

  window.addEventListener("hashchange", function () {
    if (location.hash === "#changed" || location.hash === "") { start(); body.querySelector("h3").focus(); }
  });
  start();
}

function setupRaterTools() {
  document.querySelectorAll("[data-lb-helper]").forEach(setupHelper);
  document.querySelectorAll("[data-lb-zoom-tools]").forEach(setupTreeZoom);
  document.querySelectorAll("[data-lb-self-test]").forEach(setupSelfTest);
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", setupRaterTools);
} else {
  setupRaterTools();
}
