// The canned reply picker on a complaint's reply form: choosing a template fills the reply
// in place with the template as the server filled it in for this complaint. A reply the
// agent has already written is only replaced by the "use this template" button. Without
// this script the button asks the server, which sends the page back filled.
(function () {
  "use strict";

  function enhance(picker) {
    var form = picker.closest("form");
    var select = picker.querySelector("select");
    var button = picker.querySelector("button[name=use_template]");
    var status = picker.querySelector(".picked");
    var textarea = form.querySelector("textarea[name=message]");
    var filled = textarea.value;

    function template(id) {
      return picker.querySelector('template[data-canned-text="' + id + '"]');
    }

    function use(id) {
      var chosen = template(id);
      if (!chosen) return false;
      filled = chosen.content.textContent;
      textarea.value = filled;
      textarea.removeAttribute("aria-invalid");
      status.textContent = status.dataset.chosenWords.replace("{title}", chosen.dataset.title);
      return true;
    }

    select.addEventListener("change", function () {
      // What the agent wrote themselves stays until they press the button.
      if (select.value && (textarea.value.trim() === "" || textarea.value === filled)) {
        use(select.value);
      }
    });
    button.addEventListener("click", function (event) {
      if (use(select.value)) {
        event.preventDefault();
        textarea.focus();
      }
    });
  }

  document.querySelectorAll("[data-canned-picker]").forEach(enhance);
})();
