// labelbook: the quick reference card's print button. No spec text is ever evaluated here.
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest(".lb-print");
  if (button) {
    event.preventDefault();
    window.print();
  }
});
