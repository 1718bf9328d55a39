// The login form's "server relief": the browser computes the password's
// argon2id key with the account's salt and parameters
// (POST /api/v1/auth/login-params) and sends it with the password, so the
// server only compares a SHA-256 of it and logins stay fast when many
// arrive at once. Without WebAssembly, or when anything here fails, the
// form is sent as it is and the server checks the password itself.
(function () {
  "use strict";
  var form = document.querySelector("form[data-login-key]");
  if (!form || !window.WebAssembly || !window.fetch || !window.hashwasm) {
    return;
  }
  var ready = false;

  function fromBase64(s) {
    var bin = atob(s);
    var b = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) {
      b[i] = bin.charCodeAt(i);
    }
    return b;
  }

  // plausible keeps the browser from computing with parameters no Lotse
  // server gives (at most 256 MiB, 10 passes).
  function plausible(p) {
    return p && p.algorithm === "argon2id" && p.version === 19 && typeof p.salt === "string" &&
      p.memory_kib > 0 && p.memory_kib <= 262144 && p.iterations > 0 && p.iterations <= 10 &&
      p.parallelism > 0 && p.parallelism <= 16 && p.key_length === 32;
  }

  form.addEventListener("submit", function (ev) {
    var email = form.elements.email.value;
    var password = form.elements.password.value;
    if (ready || !email.trim() || !password) {
      return; // the server names what is missing
    }
    ev.preventDefault();
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    form.elements.password_key.value = "";
    fetch("/api/v1/auth/login-params", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: email })
    }).then(function (r) {
      return r.ok ? r.json() : null;
    }).then(function (p) {
      if (!plausible(p)) {
        return null;
      }
      return window.hashwasm.argon2id({
        password: password,
        salt: fromBase64(p.salt),
        parallelism: p.parallelism,
        iterations: p.iterations,
        memorySize: p.memory_kib,
        hashLength: p.key_length,
        outputType: "hex"
      });
    }).then(function (key) {
      if (key) {
        form.elements.password_key.value = key;
      }
    }, function () {
      // Sent without the key: the server checks the password.
    }).then(function () {
      ready = true;
      button.disabled = false;
      button.removeAttribute("aria-busy");
      form.submit();
    });
  });
})();
