// Scrolls each document box to its first highlighted sentence.
document.querySelectorAll(".doc-text").forEach(function (box) {
  var mark = box.querySelector("mark");
  if (mark) { box.scrollTop = Math.max(0, mark.offsetTop - box.offsetTop - 48); }
});
