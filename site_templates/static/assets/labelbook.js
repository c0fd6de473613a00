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
