// Passkeys (WebAuthn) for Lotse's second factor: registering a passkey on
// the account page (or while setting up a required second factor) and
// confirming a login with one. The forms carry data-passkey="register" or
// "login"; without this script (or without WebAuthn in the browser) their
// sections stay hidden and the pages offer the authenticator app.
(function () {
  "use strict";
  if (!window.PublicKeyCredential || !navigator.credentials) {
    return;
  }

  function toBuffer(s) {
    s = s.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) {
      s += "=";
    }
    var bin = atob(s);
    var b = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) {
      b[i] = bin.charCodeAt(i);
    }
    return b.buffer;
  }

  function toBase64url(buf) {
    var b = new Uint8Array(buf);
    var s = "";
    for (var i = 0; i < b.length; i++) {
      s += String.fromCharCode(b[i]);
    }
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function post(url, csrf, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) {
        if (!r.ok) {
          var e = new Error((j.error && j.error.message) || "Das hat nicht geklappt. Bitte versuchen Sie es erneut.");
          e.fromServer = true;
          throw e;
        }
        return j;
      });
    });
  }

  function register(form, csrf) {
    var name = form.querySelector("[name=passkey_name]").value;
    return post(form.dataset.options, csrf, { name: name }).then(function (opts) {
      var pk = opts.publicKey;
      pk.challenge = toBuffer(pk.challenge);
      pk.user.id = toBuffer(pk.user.id);
      (pk.excludeCredentials || []).forEach(function (c) { c.id = toBuffer(c.id); });
      return navigator.credentials.create({ publicKey: pk });
    }).then(function (cred) {
      return post(form.action, csrf, {
        id: cred.id,
        rawId: toBase64url(cred.rawId),
        type: cred.type,
        response: {
          attestationObject: toBase64url(cred.response.attestationObject),
          clientDataJSON: toBase64url(cred.response.clientDataJSON),
          transports: cred.response.getTransports ? cred.response.getTransports() : []
        }
      });
    });
  }

  function login(form, csrf) {
    return post(form.dataset.options, csrf, {}).then(function (opts) {
      var pk = opts.publicKey;
      pk.challenge = toBuffer(pk.challenge);
      (pk.allowCredentials || []).forEach(function (c) { c.id = toBuffer(c.id); });
      return navigator.credentials.get({ publicKey: pk });
    }).then(function (cred) {
      var r = cred.response;
      return post(form.action, csrf, {
        id: cred.id,
        rawId: toBase64url(cred.rawId),
        type: cred.type,
        response: {
          authenticatorData: toBase64url(r.authenticatorData),
          clientDataJSON: toBase64url(r.clientDataJSON),
          signature: toBase64url(r.signature),
          userHandle: r.userHandle ? toBase64url(r.userHandle) : null
        }
      });
    });
  }

  document.querySelectorAll("[data-passkey-section]").forEach(function (s) {
    s.hidden = false;
  });
  document.querySelectorAll("form[data-passkey]").forEach(function (form) {
    var section = form.closest("[data-passkey-section]") || form.parentNode;
    var errorBox = section.querySelector("[data-passkey-error]");
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var csrf = form.querySelector("[name=csrf_token]").value;
      var button = form.querySelector("button");
      button.disabled = true;
      if (errorBox) {
        errorBox.hidden = true;
      }
      var run = form.dataset.passkey === "register" ? register : login;
      run(form, csrf).then(function (done) {
        window.location.assign(done.weiter);
      }).catch(function (err) {
        button.disabled = false;
        if (errorBox) {
          errorBox.textContent = err && err.name === "NotAllowedError" ?
            "Der Vorgang wurde abgebrochen oder ist abgelaufen. Bitte versuchen Sie es erneut." :
            (err && err.fromServer ? err.message : "Das hat nicht geklappt. Bitte versuchen Sie es erneut.");
          errorBox.hidden = false;
        }
      });
    });
  });
})();
