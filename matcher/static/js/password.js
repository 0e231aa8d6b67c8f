// Password fields, as progressive enhancement (the forms work without JavaScript):
// - a show/hide button beside every password field (ASVS 2.1.12), a real <button> with
//   aria-pressed, so it works with the keyboard and tells screen readers its state;
// - a strength meter under fields that set a password (ASVS 2.1.8), with Dutch feedback in an
//   aria-live region. It only advises: the server's check when saving is the one that counts
//   (matcher/accounts/passwords.py). The texts come from the page (the translation catalogue).
(() => {
  "use strict";

  const MIN = 12;
  const MAX = 128;
  // A few of the most common passwords and words in them; the full list stays on the server.
  const COMMON = ["wachtwoord", "password", "welkom", "welkom01", "qwerty", "azerty",
    "123456", "iloveyou", "geheim", "letmein", "admin", "welcome", "monkey", "dragon",
    "voetbal", "ajax", "feyenoord", "zomer", "winter", "school", "cultuur", "cultuurmatch"];
  const LEET = { 0: "o", 1: "i", 3: "e", 4: "a", 5: "s", 7: "t", "@": "a", $: "s", "!": "i" };

  function normalise(text) {
    return text.normalize("NFKC").toLowerCase();
  }

  function isRepetition(text) {
    return /^(.{1,4}?)\1+$/u.test(text);
  }

  function isSequence(text) {
    const codes = Array.from(text, (ch) => ch.codePointAt(0));
    if (codes.length < 2) return false;
    const steps = new Set(codes.slice(1).map((code, i) => code - codes[i]));
    const within = (allowed) => [...steps].every((step) => allowed.includes(step));
    return within([1, -9]) || within([-1, 9]);
  }

  function isCommon(text) {
    const plain = text.replace(/[0@1!3457$]/g, (ch) => LEET[ch] || ch);
    const bare = (word) => word.replace(/^[\W\d_]+|[\W\d_]+$/gu, "").replace(/ /g, "");
    const variants = [text, plain, bare(text), bare(plain)];
    return variants.some((v) => COMMON.includes(v) || (v.length % 2 === 0
      && COMMON.includes(v.slice(0, v.length / 2)) && v.slice(0, v.length / 2) === v.slice(v.length / 2)));
  }

  function personalRemainder(text, context) {
    let rest = text;
    normalise(context).split(/[\W_]+/u).filter((piece) => piece.length >= 4)
      .forEach((piece) => { rest = rest.split(piece).join(""); });
    return rest.replace(/^[\W\d_]+|[\W\d_]+$/gu, "");
  }

  // Guessing entropy, roughly: the size of the alphabet used, to the power of the length,
  // where characters repeated many times count less.
  function bits(password) {
    const chars = Array.from(password);
    let pool = 0;
    if (/[a-z]/.test(password)) pool += 26;
    if (/[A-Z]/.test(password)) pool += 26;
    if (/[0-9]/.test(password)) pool += 10;
    if (/[^A-Za-z0-9]/.test(password)) pool += 33;
    if (/[^\x00-\x7F]/.test(password)) pool += 100;
    const unique = new Set(chars).size;
    return Math.log2(Math.max(pool, 2)) * Math.min(chars.length, unique * 2);
  }

  // {kind, level}: level 0-4 for the meter, kind names the message.
  function assess(password, context) {
    const length = Array.from(password).length;
    if (length < MIN) return { kind: "short", level: 0, missing: MIN - length };
    if (length > MAX) return { kind: "long", level: 0 };
    if (password.trim() !== password) return { kind: "space", level: 0 };
    const text = normalise(password);
    if (isRepetition(text) || isSequence(text)) return { kind: "pattern", level: 0 };
    if (isCommon(text)) return { kind: "common", level: 0 };
    if (context && personalRemainder(text, context).length < 4) {
      return { kind: "personal", level: 0 };
    }
    const estimate = bits(password);
    const level = estimate < 50 ? 1 : estimate < 65 ? 2 : estimate < 80 ? 3 : 4;
    return { kind: "level", level };
  }

  function contextOf(input) {
    const words = [input.dataset.strengthContext || ""];
    if (input.form) {
      input.form.querySelectorAll("input[type=email], input[autocomplete=name], "
        + "input[autocomplete=username], input[autocomplete=email]").forEach((field) => {
        words.push(field.value);
      });
    }
    return words.join(" ");
  }

  function message(messages, result) {
    if (result.kind === "short") {
      return messages.short.replace("{n}", result.missing).replace("{min}", MIN);
    }
    if (result.kind === "long") return messages.long.replace("{max}", MAX);
    if (result.kind === "level") return messages.levels[result.level - 1];
    return messages[result.kind];
  }

  function strengthMeter(input) {
    const output = document.getElementById(input.dataset.strength);
    if (!output) return;
    const box = output.closest(".strength");
    const meter = box.querySelector("meter");
    const messages = JSON.parse(output.dataset.messages);
    let timer = null;
    const update = () => {
      if (!input.value) {
        box.hidden = true;
        output.textContent = "";
        return;
      }
      const result = assess(input.value, contextOf(input));
      box.hidden = false;
      box.dataset.level = String(result.level);
      meter.value = result.level;
      output.textContent = `${messages.label} ${message(messages, result)}`;
    };
    // Announce after a pause in typing, not at every key.
    input.addEventListener("input", () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(update, 300);
    });
    input.addEventListener("change", update);
  }

  function showHideButton(button) {
    const input = document.getElementById(button.dataset.passwordToggle);
    if (!input) return;
    button.hidden = false;
    button.addEventListener("click", () => {
      const show = input.type === "password";
      input.type = show ? "text" : "password";
      button.setAttribute("aria-pressed", String(show));
    });
    // Never submit (or let the browser remember) a field while it is shown as text.
    if (input.form) {
      input.form.addEventListener("submit", () => {
        input.type = "password";
        button.setAttribute("aria-pressed", "false");
      });
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("button[data-password-toggle]").forEach(showHideButton);
    document.querySelectorAll("input[data-strength]").forEach(strengthMeter);
  });

  // For tests in a browser: the same assessment the meter shows.
  window.cultuurmatchPasswordStrength = assess;
})();
