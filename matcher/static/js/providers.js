// Progressive enhancement for providers' pages; everything works without JavaScript too.
// 1. The activity form asks for intervention suggestions while the provider types.
// 2. The import progress page follows a background import.
(() => {
  "use strict";

  function element(tag, attributes, text) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => node.setAttribute(name, value));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function renderSuggestions(list, suggestions, confirmed) {
    list.replaceChildren();
    if (!suggestions.length) {
      list.append(element("p", {}, "Nog geen suggesties: de tekst wijst (nog) niet duidelijk op een interventie."));
      return;
    }
    const fieldset = element("fieldset");
    fieldset.append(element("legend", {}, "Voorgestelde interventies"));
    const ul = element("ul", { class: "choices" });
    suggestions.forEach((s) => {
      const li = element("li");
      const id = `suggestie-${s.key}`;
      const box = element("input", { type: "checkbox", name: "confirmed_suggestions", value: s.key, id });
      box.checked = confirmed.has(s.key);
      const label = element("label", { for: id }, `${s.name} `);
      const percent = Math.round(s.confidence * 100);
      label.append(element("span", { class: "muted" }, `(${percent}% zeker; ${s.triggers.join(", ")})`));
      li.append(box, " ", label);
      ul.append(li);
    });
    fieldset.append(ul);
    list.append(fieldset);
  }

  function setUpSuggestions(form) {
    const list = document.getElementById("suggestion-list");
    if (!list) return;
    const url = form.dataset.suggestUrl;
    const token = form.querySelector("input[name=csrf_token]");
    let timer = null;
    let latest = 0;

    async function refresh() {
      const request = ++latest;
      const data = new FormData(form);
      const confirmed = new Set(data.getAll("confirmed_suggestions"));
      const headers = token ? { "X-CSRFToken": token.value } : {};
      try {
        const response = await fetch(url, { method: "POST", body: data, headers, credentials: "same-origin" });
        if (!response.ok || request !== latest) return;
        const body = await response.json();
        renderSuggestions(list, body.suggestions, confirmed);
      } catch (error) {
        // The "Suggesties bijwerken" button still works without this.
      }
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 700);
    }

    ["title", "description"].forEach((name) => {
      const field = form.elements.namedItem(name);
      if (field) field.addEventListener("input", later);
    });
    form.addEventListener("change", (event) => {
      const name = event.target.name || "";
      if (name !== "confirmed_suggestions" && name !== "title" && name !== "description") later();
    });
  }

  function setUpImportProgress(box) {
    const url = box.dataset.statusUrl;
    const bar = document.getElementById("import-voortgang");
    const count = document.getElementById("import-count");
    const message = document.getElementById("import-message");
    const issues = document.getElementById("import-issues");

    async function poll() {
      try {
        const response = await fetch(url, { credentials: "same-origin" });
        if (!response.ok) return;
        const job = await response.json();
        bar.max = Math.max(job.total, 1);
        bar.value = job.done;
        count.textContent = `${job.done} van ${job.total}`;
        if (job.state === "bezig") {
          window.setTimeout(poll, 1000);
          return;
        }
        message.textContent = job.message;
        issues.replaceChildren(...job.issues.map((text) => element("li", {}, text)));
      } catch (error) {
        window.setTimeout(poll, 3000);
      }
    }

    poll();
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.getElementById("activity-form");
    if (form) setUpSuggestions(form);
    const job = document.getElementById("import-job");
    if (job) setUpImportProgress(job);
  });
})();
