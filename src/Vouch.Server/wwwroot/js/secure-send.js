// "Send a secret" on a contact's page: the secret is encrypted here (AES-256-GCM, Web Crypto) under a fresh key; only the
// envelope goes to Vouch. The key is added to the link as its fragment; it is sent to Vouch only when Vouch must text or
// e-mail the link, inside that message. Envelope format: {"v":1,"iv","ct"}, base64url, as SecretEnvelope.cs reads it.
(function () {
    "use strict";

    const form = document.getElementById("secret-form");
    if (!form || !window.crypto || !crypto.subtle || !window.secretEnvelope) {
        return;
    }

    const result = document.getElementById("secret-result");
    const errors = document.getElementById("secret-errors");

    const base64url = window.secretEnvelope.toBase64Url;

    async function seal(text, passphrase) {
        const key = crypto.getRandomValues(new Uint8Array(32));
        const iv = crypto.getRandomValues(new Uint8Array(12));
        const salt = crypto.getRandomValues(new Uint8Array(16));
        const iterations = window.secretEnvelope.iterations;
        const cryptoKey = await window.secretEnvelope.aesKey(key, passphrase, salt, iterations, "encrypt");
        const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv: iv }, cryptoKey, new TextEncoder().encode(text)));
        const envelope = { v: 1, iv: base64url(iv), ct: base64url(sealed) };
        if (passphrase) {
            envelope.pw = { salt: base64url(salt), iter: iterations };
        }
        return { envelope: JSON.stringify(envelope), key: base64url(key) };
    }

    function showErrors(problem) {
        const list = document.createElement("ul");
        Object.values(problem.errors || { "": ["The secret could not be sent."] }).flat().forEach(function (message) {
            const item = document.createElement("li");
            item.textContent = message;
            list.appendChild(item);
        });
        errors.replaceChildren(list);
        errors.hidden = false;
    }

    form.addEventListener("submit", async function (event) {
        event.preventDefault();
        const button = form.querySelector("button[type=submit]");
        const secret = document.getElementById("secret-text");
        const [delivery, destination] = document.getElementById("secret-delivery").value.split("|");
        button.disabled = true;
        errors.hidden = true;
        result.hidden = true;
        try {
            const passphrase = document.getElementById("secret-passphrase");
            const sealed = await seal(secret.value, passphrase.value);
            const data = new FormData(form); // the antiforgery token, lifetime and label; the secret has no name
            data.set("Envelope", sealed.envelope);
            data.set("Delivery", delivery);
            data.set("Destination", destination);
            const single = document.getElementById("secret-single");
            data.set("SingleUse", single ? (single.checked ? "true" : "false") : document.getElementById("secret-single-value").value);
            if (delivery !== "link") {
                data.set("Key", sealed.key);
            }
            const response = await fetch(form.action, { method: "POST", body: data, credentials: "same-origin" });
            const answer = await response.json();
            if (!response.ok) {
                showErrors(answer);
                return;
            }
            secret.value = "";
            passphrase.value = "";
            const link = answer.link + "#" + sealed.key;
            document.getElementById("secret-result-text").textContent = answer.sentTo
                ? "Sent to " + answer.sentTo + "; the link works until " + answer.expiresAt + "."
                : "Copy this link to the contact; it works until " + answer.expiresAt + ".";
            document.getElementById("secret-link").value = answer.sentTo ? "" : link;
            document.getElementById("secret-link-row").hidden = !!answer.sentTo;
            result.hidden = false;
        } catch (e) {
            showErrors({});
        } finally {
            button.disabled = false;
        }
    });

    document.getElementById("secret-link-copy").addEventListener("click", function () {
        navigator.clipboard.writeText(document.getElementById("secret-link").value);
    });
})();
