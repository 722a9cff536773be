package org.cellforge.web.security;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Outcomes of recent password checks, so that a script calling the API with HTTP Basic pays the bcrypt
 * work (about a tenth of a second of CPU) once, not on every call.
 *
 * <p>What is remembered is a keyed digest of name, stored hash and password (HMAC-SHA256 under a key
 * drawn at start and never written anywhere) with its outcome, for a bounded time; never a password.
 * The stored hash is part of the digest, so a changed password or a removed account takes effect on
 * the next call. Failures are remembered as well as successes: whether a name exists must not show in
 * how quickly a repeated guess is answered, and a repeated wrong guess learns nothing new. A guess not
 * seen before always costs the full check.
 */
final class Verdicts {

    /** The check that is being spared: whether {@code password} hashes to {@code hash}. */
    @FunctionalInterface
    interface Check {
        boolean matches(String hash, char[] password);
    }

    private record Verdict(boolean matched, long expiresAt) {
    }

    private final long ttlNanos;
    private final Check check;
    private final SecretKeySpec key;
    private final Map<String, Verdict> recent;

    /**
     * @param ttl how long an outcome is reused; zero checks every time
     * @param capacity outcomes kept at most, the least recently used dropped first
     */
    Verdicts(Duration ttl, int capacity, Check check) {
        this.ttlNanos = ttl.toNanos();
        this.check = Objects.requireNonNull(check, "check");
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
        this.recent = new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Verdict> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Whether {@code password} matches {@code hash} for {@code name}, by a recent outcome or by checking. */
    boolean check(String name, String hash, char[] password) {
        if (ttlNanos == 0) {
            return check.matches(hash, password);
        }
        String digest = digest(name, hash, password);
        long now = System.nanoTime();
        synchronized (recent) {
            Verdict v = recent.get(digest);
            if (v != null && v.expiresAt() - now > 0) {
                return v.matched();
            }
        }
        boolean matched = check.matches(hash, password);
        synchronized (recent) {
            recent.put(digest, new Verdict(matched, System.nanoTime() + ttlNanos));
        }
        return matched;
    }

    private String digest(String name, String hash, char[] password) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            // Lengths first, so that no two different triples run together into the same input.
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            byte[] h = hash.getBytes(StandardCharsets.UTF_8);
            mac.update(ByteBuffer.allocate(12).putInt(n.length).putInt(h.length).putInt(bytes.length).array());
            mac.update(n);
            mac.update(h);
            mac.update(bytes);
            return Base64.getEncoder().encodeToString(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
            if (encoded.hasArray()) {
                Arrays.fill(encoded.array(), (byte) 0);
            }
        }
    }
}
