/* ORS/SRS lines: add a slider beside each 0.0-10.0 field. Optional: without scripts the field
   alone works. The field is the answer; the slider only mirrors it. A line the client never
   touches stays empty (missing) and looks unanswered: no thumb, and "Not answered yet" for a
   screen reader, until it is touched or a number is typed. A decimal comma (7,5) is read. */
(function () {
  var fields = document.querySelectorAll("input[data-vas]");
  for (var i = 0; i < fields.length; i++) {
    (function (number) {
      var low = parseFloat(number.getAttribute("data-min"));
      var high = parseFloat(number.getAttribute("data-max"));
      var slider = document.createElement("input");
      slider.type = "range";
      slider.min = low;
      slider.max = high;
      slider.step = "0.1";
      slider.className = "vas";
      slider.setAttribute("aria-labelledby", number.getAttribute("data-label"));
      slider.setAttribute("aria-describedby", number.getAttribute("aria-describedby"));

      function typed() {
        var text = number.value.trim().replace(",", ".");
        var value = /^-?(\d+(\.\d*)?|\.\d+)$/.test(text) ? parseFloat(text) : NaN;
        return value >= low && value <= high ? value : NaN;
      }
      function untouched() {
        slider.value = (low + high) / 2;
        slider.classList.add("untouched");
        slider.setAttribute("aria-valuetext", number.placeholder);
      }
      function touched() {
        slider.classList.remove("untouched");
        slider.removeAttribute("aria-valuetext");
      }
      function fromSlider() {
        number.value = parseFloat(slider.value).toFixed(1);
        touched();
      }

      if (isNaN(typed())) {
        untouched();
      } else {
        slider.value = typed();
        touched();
      }
      slider.addEventListener("input", fromSlider);
      // A tap on the resting midpoint changes no value, so no "input" event: it still answers.
      slider.addEventListener("pointerup", fromSlider);
      number.addEventListener("input", function () {
        if (number.value.trim() === "") {
          untouched();
        } else if (!isNaN(typed())) {
          slider.value = typed();
          touched();
        }
      });
      number.parentNode.insertBefore(slider, number);
    })(fields[i]);
  }
})();
