/* ORS/SRS lines: add a slider beside each 0.0-10.0 number field. Optional: without scripts the
   number field alone works. A line the client never touches stays empty (missing). */
(function () {
  var fields = document.querySelectorAll("input[data-vas]");
  for (var i = 0; i < fields.length; i++) {
    (function (number) {
      var slider = document.createElement("input");
      slider.type = "range";
      slider.min = number.min;
      slider.max = number.max;
      slider.step = "0.1";
      slider.className = "vas";
      slider.setAttribute("aria-labelledby", number.getAttribute("data-label"));
      slider.setAttribute("aria-describedby", number.getAttribute("aria-describedby"));
      if (number.value === "") {
        slider.value = (parseFloat(number.min) + parseFloat(number.max)) / 2;
        slider.classList.add("untouched");
      } else {
        slider.value = number.value;
      }
      slider.addEventListener("input", function () {
        number.value = parseFloat(slider.value).toFixed(1);
        slider.classList.remove("untouched");
      });
      number.addEventListener("input", function () {
        if (number.value !== "") {
          slider.value = number.value;
          slider.classList.remove("untouched");
        }
      });
      number.parentNode.insertBefore(slider, number);
    })(fields[i]);
  }
})();
