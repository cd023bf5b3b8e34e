// "Send a secret" on a contact's page: the text and any files are encrypted here (AES-256-GCM, Web Crypto) under a fresh
// key; only ciphertext goes to Vouch. The key is added to the link as its fragment; it is sent to Vouch only when Vouch
// must text or e-mail the link, inside that message. With files: create the secret (declaring each file's encrypted name
// and length), upload each file's ciphertext, then ask Vouch to deliver the link, so the contact never gets a link that
// does not work yet. Formats: secret-envelope.js.
(function () {
    "use strict";

    const form = document.getElementById("secret-form");
    if (!form || !window.crypto || !crypto.subtle || !window.secretEnvelope) {
        return;
    }

    const envelopes = window.secretEnvelope;
    const result = document.getElementById("secret-result");
    const errors = document.getElementById("secret-errors");
    const progress = document.getElementById("secret-progress");
    const fileInput = document.getElementById("secret-files");
    const lifetime = document.getElementById("secret-lifetime");
    const base64url = envelopes.toBase64Url;
    const antiforgery = form.querySelector("input[name=__RequestVerificationToken]").value;

    // Files have their own default lifetime: follow it until the technician picks one.
    let lifetimeChosen = false;
    if (lifetime) {
        lifetime.addEventListener("change", function () { lifetimeChosen = true; });
    }
    if (fileInput && lifetime) {
        fileInput.addEventListener("change", function () {
            if (!lifetimeChosen) {
                lifetime.value = fileInput.files.length > 0 ? lifetime.dataset.fileDefault : lifetime.dataset.textDefault;
            }
        });
    }

    async function seal(text, passphrase, files) {
        const key = crypto.getRandomValues(new Uint8Array(32));
        const salt = crypto.getRandomValues(new Uint8Array(16));
        const iterations = envelopes.iterations;
        const cryptoKey = await envelopes.aesKey(key, passphrase, salt, iterations, "encrypt");
        const envelope = await envelopes.seal(cryptoKey, new TextEncoder().encode(text));
        if (passphrase) {
            envelope.pw = { salt: base64url(salt), iter: iterations };
        }
        const sealedFiles = [];
        for (const file of files) {
            const name = await envelopes.seal(cryptoKey, new TextEncoder().encode(JSON.stringify({ name: file.name, type: file.type })));
            sealedFiles.push({ name: JSON.stringify(name), body: await envelopes.sealFile(cryptoKey, file) });
        }
        return { envelope: JSON.stringify(envelope), key: base64url(key), files: sealedFiles };
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

    function handlerUrl(handler, values) {
        const url = new URL(form.action, location.href);
        url.searchParams.set("handler", handler);
        Object.keys(values).forEach(function (name) { url.searchParams.set(name, values[name]); });
        return url;
    }

    async function call(url, init) {
        const response = await fetch(url, Object.assign({ credentials: "same-origin" }, init));
        const answer = await response.json();
        if (!response.ok) {
            throw { problem: answer };
        }
        return answer;
    }

    form.addEventListener("submit", async function (event) {
        event.preventDefault();
        const button = form.querySelector("button[type=submit]");
        const secret = document.getElementById("secret-text");
        const files = fileInput ? Array.from(fileInput.files) : [];
        const [delivery, destination] = document.getElementById("secret-delivery").value.split("|");
        errors.hidden = true;
        result.hidden = true;
        if (secret.value === "" && files.length === 0) {
            showErrors({ errors: { "": ["Type a secret or choose files to send."] } });
            return;
        }
        button.disabled = true;
        try {
            const passphrase = document.getElementById("secret-passphrase");
            progress.textContent = "Encrypting…";
            const sealed = await seal(secret.value, passphrase.value, files);
            const data = new FormData(form); // the antiforgery token, lifetime, ticket and label; the secret has no name
            data.set("Envelope", sealed.envelope);
            data.set("Delivery", delivery);
            data.set("Destination", destination);
            const single = document.getElementById("secret-single");
            data.set("SingleUse", single ? (single.checked ? "true" : "false") : document.getElementById("secret-single-value").value);
            if (delivery !== "link" && files.length === 0) {
                data.set("Key", sealed.key);
            }
            const copy = document.getElementById("secret-ticket-copy");
            if (copy && copy.checked && secret.value !== "") {
                data.set("TicketCopy", secret.value);
            }
            sealed.files.forEach(function (file, i) {
                data.set("Files[" + i + "].Name", file.name);
                data.set("Files[" + i + "].Length", String(file.body.size));
            });
            let answer = await call(form.action, { method: "POST", body: data });
            for (let i = 0; i < sealed.files.length; i++) {
                progress.textContent = "Uploading file " + (i + 1) + " of " + sealed.files.length + "…";
                await call(handlerUrl("SecretFile", { secretId: answer.id, fileId: answer.files[i] }), {
                    method: "PUT",
                    body: sealed.files[i].body,
                    headers: { "Content-Type": "application/octet-stream", "RequestVerificationToken": antiforgery },
                });
            }
            if (sealed.files.length > 0 && delivery !== "link") {
                const deliver = new FormData();
                deliver.set("__RequestVerificationToken", antiforgery);
                deliver.set("link", answer.link + "#" + sealed.key);
                deliver.set("delivery", delivery);
                deliver.set("destination", destination);
                answer = await call(handlerUrl("SecretDeliver", { secretId: answer.id }), { method: "POST", body: deliver });
            }
            secret.value = "";
            passphrase.value = "";
            if (fileInput) {
                fileInput.value = "";
            }
            const link = answer.link + "#" + sealed.key;
            document.getElementById("secret-result-text").textContent = answer.sentTo
                ? "Sent to " + answer.sentTo + "; the link works until " + answer.expiresAt + "."
                : "Copy this link to the contact; it works until " + answer.expiresAt + ".";
            document.getElementById("secret-link").value = answer.sentTo ? "" : link;
            document.getElementById("secret-link-row").hidden = !!answer.sentTo;
            result.hidden = false;
        } catch (e) {
            showErrors(e && e.problem ? e.problem : {});
        } finally {
            progress.textContent = "";
            button.disabled = false;
        }
    });

    document.getElementById("secret-link-copy").addEventListener("click", function () {
        navigator.clipboard.writeText(document.getElementById("secret-link").value);
    });
})();
