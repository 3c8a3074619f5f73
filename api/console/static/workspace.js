// The complaint workspace's script: compensation rows (and a replacement's SKU rows) are
// added and removed in place, and the policy's answer follows the proposal as it changes.
// Every form works without it (the "check" button brings the page back with the answer
// and one more empty row).
(function () {
  "use strict";

  // The fields of a proposal the policy's answer depends on.
  var PROPOSAL_FIELDS = {
    kind: true,
    amount: true,
    replace_sku: true,
    replace_quantity: true,
    return_sku: true,
    return_quantity: true,
    exchange_sku: true,
    return_outcome: true,
    final: true,
  };

  function fill(template, row) {
    return template.replace("{row}", String(row));
  }

  function enhance(form) {
    var list = form.querySelector(".compensation-rows");
    var add = form.querySelector(".add-row");
    var answer = form.querySelector(".policy-answer");
    var words = form.dataset;
    var most = Number(words.maxRows || "5");
    // An empty row to copy: the last row the server rendered is always empty.
    var blank = list.lastElementChild.cloneNode(true);
    blank.querySelectorAll("select, input").forEach(function (field) {
      field.value = "";
      field.removeAttribute("aria-invalid");
      field.removeAttribute("aria-errormessage");
    });
    var timer = null;

    function renumber() {
      var rows = list.querySelectorAll(".compensation-row");
      rows.forEach(function (row, index) {
        var kind = row.querySelector("select");
        var amount = row.querySelector("input");
        var labels = row.querySelectorAll("label");
        kind.id = "kind-" + index;
        amount.id = "amount-" + index;
        labels[0].htmlFor = kind.id;
        labels[0].textContent = fill(words.kindLabel, index + 1);
        labels[1].htmlFor = amount.id;
        labels[1].textContent = fill(words.amountLabel, index + 1);
        var remove = row.querySelector(".remove-row");
        remove.textContent = fill(words.removeLabel, index + 1);
        remove.hidden = rows.length < 2;
      });
      add.hidden = rows.length >= most;
    }

    function check() {
      // The whole proposal the form would send (not its key or token), so the answer is
      // the one the workflow will give.
      var params = new URLSearchParams();
      Array.prototype.forEach.call(form.elements, function (field) {
        if (!PROPOSAL_FIELDS[field.name]) return;
        if ((field.type === "checkbox" || field.type === "radio") && !field.checked) return;
        params.append(field.name, field.value);
      });
      fetch(words.checkUrl + "?" + params.toString(), {
        credentials: "same-origin",
        cache: "no-store",
      })
        .then(function (response) {
          if (!response.ok || response.redirected) throw new Error("no answer");
          return response.text();
        })
        .then(function (html) {
          // Rendered and escaped by the server, like the page itself.
          answer.innerHTML = html;
        })
        .catch(function () {
          // The "check" button still asks the server; the old answer stays meanwhile.
        });
    }

    function soon() {
      window.clearTimeout(timer);
      timer = window.setTimeout(check, 400);
    }

    add.addEventListener("click", function () {
      var row = blank.cloneNode(true);
      list.appendChild(row);
      renumber();
      row.querySelector("select").focus();
    });
    list.addEventListener("click", function (event) {
      var remove = event.target.closest(".remove-row");
      if (!remove) return;
      var row = remove.closest(".compensation-row");
      var previous = row.previousElementSibling || row.nextElementSibling;
      row.remove();
      renumber();
      (previous ? previous.querySelector("select") : add).focus();
      soon();
    });
    function changed(event) {
      if (PROPOSAL_FIELDS[event.target.name]) soon();
    }
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    renumber();
    var items = form.querySelector(".replacement-rows");
    if (items) enhanceItems(items, form.querySelector(".add-item-row"), soon);
  }

  // A replacement for an order without item lines: SKU and quantity rows, added and
  // removed as the compensation rows are.
  function enhanceItems(list, add, removed) {
    var words = list.dataset;
    var most = Number(words.maxRows || "20");
    var blank = list.lastElementChild.cloneNode(true);
    blank.querySelectorAll("input").forEach(function (field) {
      field.value = "";
      field.removeAttribute("aria-invalid");
      field.removeAttribute("aria-errormessage");
    });

    function renumber() {
      var rows = list.querySelectorAll(".replacement-row");
      rows.forEach(function (row, index) {
        var fields = row.querySelectorAll("input");
        var labels = row.querySelectorAll("label");
        fields[0].id = "replace-sku-" + index;
        fields[1].id = "replace-quantity-" + index;
        labels[0].htmlFor = fields[0].id;
        labels[0].textContent = fill(words.skuLabel, index + 1);
        labels[1].htmlFor = fields[1].id;
        labels[1].textContent = fill(words.quantityLabel, index + 1);
        var remove = row.querySelector(".remove-row");
        remove.textContent = fill(words.removeLabel, index + 1);
        remove.hidden = rows.length < 2;
      });
      add.hidden = rows.length >= most;
    }

    add.addEventListener("click", function () {
      var row = blank.cloneNode(true);
      list.appendChild(row);
      renumber();
      row.querySelector("input").focus();
    });
    list.addEventListener("click", function (event) {
      var remove = event.target.closest(".remove-row");
      if (!remove) return;
      var row = remove.closest(".replacement-row");
      var previous = row.previousElementSibling || row.nextElementSibling;
      row.remove();
      renumber();
      (previous ? previous.querySelector("input") : add).focus();
      removed();
    });
    renumber();
  }

  document.querySelectorAll("form.resolution-form[data-check-url]").forEach(enhance);

  // The live part of the page (console.js) follows the complaint's status; the forms were
  // chosen for the status the page was loaded with, so a change is pointed out.
  var workspace = document.querySelector("[data-rendered-status]");
  var live = document.querySelector("[data-live-url]");
  if (workspace && live && window.MutationObserver) {
    var changed = workspace.querySelector(".status-changed");
    changed.querySelector("button.reload").addEventListener("click", function () {
      window.location.reload();
    });
    new MutationObserver(function () {
      var shown = live.querySelector("[data-status]");
      if (shown && shown.dataset.status !== workspace.dataset.renderedStatus) {
        changed.hidden = false;
      }
    }).observe(live, { childList: true, subtree: true });
  }

  // The notice of a form just sent ("?done=...") is for this visit: a reload later shows
  // the page as it then is, without it.
  var url = new URL(window.location.href);
  if (url.searchParams.has("done")) {
    url.searchParams.delete("done");
    window.history.replaceState(null, "", url.pathname + url.search + url.hash);
  }
})();
