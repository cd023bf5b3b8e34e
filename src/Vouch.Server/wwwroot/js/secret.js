// Secret link page: nothing is fetched until Reveal is pressed. The key is the link's fragment (never sent to the
// server); the server answers the Reveal post with the ciphertext ({"v":1,"iv","ct"}, AES-256-GCM), decrypted here.
// With "pw" in the envelope the AES key is PBKDF2-SHA256(passphrase, link key ‖ salt, iter), so the page asks for the
// passphrase the sender gave by another channel; the ciphertext stays in this page, so a wrong one can be retried.
(function () {
    "use strict";

    const form = document.getElementById("reveal");
    if (!form || !window.secretEnvelope) {
        return;
    }

    const key = location.hash.slice(1);
    // The fragment would stay in the address bar and the history; it is needed only once.
    history.replaceState(null, "", location.pathname + location.search);

    const bytes = window.secretEnvelope.fromBase64Url;

    function show(id) {
        document.getElementById("secret-closed").hidden = true;
        document.getElementById(id).hidden = false;
    }

    function aesKey(envelope, passphrase) {
        const pw = envelope.pw;
        return window.secretEnvelope.aesKey(bytes(key), pw ? passphrase : null, pw ? bytes(pw.salt) : null, pw ? pw.iter : 0, "decrypt");
    }

    async function open(envelope, passphrase) {
        const cryptoKey = await aesKey(envelope, passphrase);
        const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: bytes(envelope.iv) }, cryptoKey, bytes(envelope.ct));
        document.getElementById("secret-text").textContent = new TextDecoder().decode(plain);
        document.getElementById("secret-passphrase").hidden = true;
        show("secret-open");
        document.getElementById("secret-copy").addEventListener("click", function () {
            navigator.clipboard.writeText(document.getElementById("secret-text").textContent);
        });
    }

    function askPassphrase(envelope) {
        const section = document.getElementById("secret-passphrase");
        const passForm = document.getElementById("passphrase-form");
        const wrong = document.getElementById("passphrase-wrong");
        document.getElementById("secret-closed").hidden = true;
        section.hidden = false;
        passForm.addEventListener("submit", function (event) {
            event.preventDefault();
            wrong.hidden = true;
            open(envelope, document.getElementById("passphrase").value).catch(function () { wrong.hidden = false; });
        });
    }

    form.addEventListener("submit", function (event) {
        event.preventDefault();
        form.querySelector("button").disabled = true;
        fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
            .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
            .then(function (envelope) { return envelope.pw ? askPassphrase(envelope) : open(envelope); })
            .catch(function () { show("secret-gone"); });
    });
})();
