// Secret link page: nothing is fetched until Reveal is pressed. The key is the link's fragment (never sent to the
// server); the server answers the Reveal post with the ciphertext (an envelope, see secret-envelope.js), the files'
// encrypted names and a short-lived grant to fetch their ciphertext, all decrypted here. With "pw" in the envelope the AES
// key is PBKDF2-SHA256(passphrase, link key ‖ salt, iter), so the page asks for the passphrase the sender gave by another
// channel; the ciphertext stays in this page, so a wrong one can be retried.
(function () {
    "use strict";

    const form = document.getElementById("reveal");
    if (!form || !window.secretEnvelope) {
        return;
    }

    const envelopes = window.secretEnvelope;
    const key = location.hash.slice(1);
    // The fragment would stay in the address bar and the history; it is needed only once.
    history.replaceState(null, "", location.pathname + location.search);

    const bytes = envelopes.fromBase64Url;

    function show(id) {
        document.getElementById("secret-closed").hidden = true;
        document.getElementById(id).hidden = false;
    }

    function aesKey(envelope, passphrase) {
        const pw = envelope.pw;
        return envelopes.aesKey(bytes(key), pw ? passphrase : null, pw ? bytes(pw.salt) : null, pw ? pw.iter : 0, "decrypt");
    }

    // The files' ciphertext is fetched at once (the grant is short-lived); decrypting waits for the key.
    function fetchFiles(revealed) {
        return revealed.files.map(function (file) {
            const url = location.pathname + "?handler=File&fileId=" + encodeURIComponent(file.id);
            return {
                name: JSON.parse(file.name),
                data: fetch(url, { headers: { "X-Secret-Grant": revealed.grant }, credentials: "same-origin" })
                    .then(function (response) { return response.ok ? response.arrayBuffer() : Promise.reject(response.status); }),
            };
        });
    }

    function size(count) {
        return count < 1024 * 1024 ? Math.max(1, Math.round(count / 1024)) + " KB" : (count / 1024 / 1024).toFixed(1) + " MB";
    }

    async function showFile(cryptoKey, file, list) {
        const item = document.createElement("li");
        list.appendChild(item);
        try {
            const meta = JSON.parse(new TextDecoder().decode(await envelopes.open(cryptoKey, file.name)));
            const blob = new Blob(await envelopes.openFile(cryptoKey, await file.data), { type: meta.type || "application/octet-stream" });
            const link = document.createElement("a");
            link.href = URL.createObjectURL(blob);
            link.download = meta.name || "file";
            link.textContent = "Download " + link.download;
            item.append(link, " (" + size(blob.size) + ")");
        } catch (e) {
            item.textContent = "A file could not be downloaded. Ask the sender for a new link.";
        }
    }

    async function open(envelope, files, passphrase) {
        const cryptoKey = await aesKey(envelope, passphrase);
        const plain = await envelopes.open(cryptoKey, envelope);
        const text = document.getElementById("secret-text");
        text.textContent = new TextDecoder().decode(plain);
        text.hidden = text.textContent === "" && files.length > 0;
        document.getElementById("secret-passphrase").hidden = true;
        show("secret-open");
        document.getElementById("secret-copy").hidden = text.hidden;
        document.getElementById("secret-copy").addEventListener("click", function () {
            navigator.clipboard.writeText(text.textContent);
        });
        const list = document.getElementById("secret-files");
        list.hidden = files.length === 0;
        await Promise.all(files.map(function (file) { return showFile(cryptoKey, file, list); }));
    }

    function askPassphrase(envelope, files) {
        const section = document.getElementById("secret-passphrase");
        const passForm = document.getElementById("passphrase-form");
        const wrong = document.getElementById("passphrase-wrong");
        document.getElementById("secret-closed").hidden = true;
        section.hidden = false;
        passForm.addEventListener("submit", function (event) {
            event.preventDefault();
            wrong.hidden = true;
            open(envelope, files, document.getElementById("passphrase").value).catch(function () { wrong.hidden = false; });
        });
    }

    form.addEventListener("submit", function (event) {
        event.preventDefault();
        form.querySelector("button").disabled = true;
        fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
            .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
            .then(function (revealed) {
                const envelope = JSON.parse(revealed.envelope);
                const files = fetchFiles(revealed);
                files.forEach(function (file) { file.data.catch(function () { }); }); // reported when shown
                return envelope.pw ? askPassphrase(envelope, files) : open(envelope, files);
            })
            .catch(function () { show("secret-gone"); });
    });
})();
