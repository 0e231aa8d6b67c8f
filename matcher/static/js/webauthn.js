// Security keys (WebAuthn), as progressive enhancement: a form marked data-webauthn-register
// or data-webauthn-login first fetches options from the server (POST with its CSRF token),
// lets the browser talk to the key, puts the answer in the hidden `credential` field and then
// sends the form as usual. The server checks everything (matcher/accounts/security_keys.py).
(() => {
  "use strict";

  const supported = () => window.PublicKeyCredential
    && typeof PublicKeyCredential.parseCreationOptionsFromJSON === "function"
    && typeof PublicKeyCredential.parseRequestOptionsFromJSON === "function";

  async function options(form, url) {
    const response = await fetch(url, { method: "POST", body: new FormData(form),
      credentials: "same-origin", headers: { Accept: "application/json" } });
    const body = await response.json();
    if (!response.ok) throw new Error(body.message || "");
    return body;
  }

  function enhance(form, register) {
    const url = form.dataset[register ? "webauthnRegister" : "webauthnLogin"];
    const message = form.querySelector("[data-webauthn-message]");
    const credential = form.querySelector("input[name=credential]");
    const say = (text) => { message.textContent = text; };
    form.hidden = false;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      say("");
      if (!supported()) { say(form.dataset.unsupported); return; }
      let json;
      try {
        json = await options(form, url);
      } catch (error) {
        say(error.message || form.dataset.cancelled);
        return;
      }
      try {
        const made = register
          ? await navigator.credentials.create({
            publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(json) })
          : await navigator.credentials.get({
            publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(json) });
        credential.value = JSON.stringify(made.toJSON());
      } catch (error) {
        say(form.dataset.cancelled);
        return;
      }
      form.submit();
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("form[data-webauthn-register]").forEach((f) => enhance(f, true));
    document.querySelectorAll("form[data-webauthn-login]").forEach((f) => enhance(f, false));
  });
})();
