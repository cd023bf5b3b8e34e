// The browser's half of SecretEnvelope.cs and SecretFileCipher.cs, shared by the sender's page (secure-send.js) and the
// recipient's (secret.js): base64url without padding; the AES-256-GCM key of an envelope — the link key itself, or with a
// passphrase PBKDF2-HMAC-SHA256(passphrase, link key ‖ salt, iterations); small envelopes (file names); and files in
// chunks: "VSF1", chunk size (uint32 BE), 8-byte nonce prefix, then each chunk sealed with IV = prefix ‖ index (uint32
// BE) and additional data [1] on the last chunk, [0] before it.
window.secretEnvelope = {
    iterations: 600000,

    toBase64Url: function (bytes) {
        let binary = "";
        bytes.forEach(function (b) { binary += String.fromCharCode(b); });
        return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    },

    fromBase64Url: function (text) {
        const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
        const binary = atob(base64 + "===".slice((base64.length + 3) % 4));
        return Uint8Array.from(binary, function (c) { return c.charCodeAt(0); });
    },

    // usage: "encrypt" or "decrypt"; salt and iterations only with a passphrase.
    aesKey: async function (linkKey, passphrase, salt, iterations, usage) {
        if (!passphrase) {
            return crypto.subtle.importKey("raw", linkKey, "AES-GCM", false, [usage]);
        }
        const material = await crypto.subtle.importKey("raw", new TextEncoder().encode(passphrase), "PBKDF2", false, ["deriveKey"]);
        const combined = new Uint8Array(linkKey.length + salt.length);
        combined.set(linkKey);
        combined.set(salt, linkKey.length);
        return crypto.subtle.deriveKey({ name: "PBKDF2", salt: combined, iterations: iterations, hash: "SHA-256" },
            material, { name: "AES-GCM", length: 256 }, false, [usage]);
    },

    chunkBytes: 1024 * 1024,

    // A small envelope without "pw" (the key is already derived): {"v":1,"iv","ct"}.
    seal: async function (cryptoKey, bytes) {
        const iv = crypto.getRandomValues(new Uint8Array(12));
        const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv: iv }, cryptoKey, bytes));
        return { v: 1, iv: this.toBase64Url(iv), ct: this.toBase64Url(sealed) };
    },

    open: async function (cryptoKey, envelope) {
        return new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv: this.fromBase64Url(envelope.iv) }, cryptoKey, this.fromBase64Url(envelope.ct)));
    },

    // A file (Blob) encrypted chunk by chunk into a Blob of ciphertext.
    sealFile: async function (cryptoKey, blob) {
        const chunk = this.chunkBytes;
        const header = new Uint8Array(16);
        header.set([0x56, 0x53, 0x46, 0x31]);
        new DataView(header.buffer).setUint32(4, chunk);
        crypto.getRandomValues(header.subarray(8));
        const parts = [header];
        const count = Math.max(1, Math.ceil(blob.size / chunk));
        for (let i = 0; i < count; i++) {
            const plain = await blob.slice(i * chunk, Math.min(blob.size, (i + 1) * chunk)).arrayBuffer();
            const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv: this.chunkIv(header, i), additionalData: new Uint8Array([i === count - 1 ? 1 : 0]) },
                cryptoKey, plain);
            parts.push(new Uint8Array(sealed));
        }
        return new Blob(parts, { type: "application/octet-stream" });
    },

    // The plaintext parts of a file's ciphertext; throws when it was altered, cut short or reordered.
    openFile: async function (cryptoKey, buffer) {
        const bytes = new Uint8Array(buffer);
        const view = new DataView(buffer);
        if (bytes.length < 32 || view.getUint32(0) !== 0x56534631) {
            throw new Error("not a sent file");
        }
        const chunk = view.getUint32(4);
        const parts = [];
        for (let at = 16, i = 0; ; i++) {
            const size = Math.min(chunk + 16, bytes.length - at);
            if (size < 16) {
                throw new Error("the file is cut short");
            }
            const last = at + size === bytes.length;
            parts.push(new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv: this.chunkIv(bytes, i), additionalData: new Uint8Array([last ? 1 : 0]) },
                cryptoKey, bytes.subarray(at, at + size))));
            at += size;
            if (last) {
                return parts;
            }
        }
    },

    chunkIv: function (header, index) {
        const iv = new Uint8Array(12);
        iv.set(header.subarray(8, 16));
        new DataView(iv.buffer).setUint32(8, index);
        return iv;
    },
};
