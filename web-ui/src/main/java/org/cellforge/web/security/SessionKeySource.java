package org.cellforge.web.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The key that encrypts the dashboard's login cookie, kept in {@value #FILE} in the data directory
 * (readable by its owner only) and made there on first use. Without it the server would make a new
 * key at every start, signing everybody out, and the framework would write that key into the log.
 * Any configured key ({@code QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY}, a properties file) wins: this
 * source ranks below all of them. A process that names no data directory (tests, tools) gets nothing
 * from it.
 */
public final class SessionKeySource implements ConfigSource {

    /** The file in the data directory that holds the key. */
    public static final String FILE = "session-key";

    private static final String PROPERTY = "quarkus.http.auth.session.encryption-key";

    private volatile String key;

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(PROPERTY);
    }

    @Override
    public Map<String, String> getProperties() {
        String value = getValue(PROPERTY);
        return value == null ? Map.of() : Map.of(PROPERTY, value);
    }

    @Override
    public String getValue(String name) {
        if (!PROPERTY.equals(name)) {
            return null;
        }
        String dir = System.getProperty(FirstOperator.DATA_DIR_PROPERTY);
        if (dir == null || dir.isBlank()) {
            return null;
        }
        if (key == null) {
            synchronized (this) {
                if (key == null) {
                    key = readOrMake(Path.of(dir).resolve(FILE));
                }
            }
        }
        return key;
    }

    private static String readOrMake(Path file) {
        try {
            if (!Files.exists(file)) {
                byte[] secret = new byte[32];
                new SecureRandom().nextBytes(secret);
                Files.createDirectories(file.getParent());
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, Base64.getEncoder().encodeToString(secret) + "\n", StandardCharsets.UTF_8);
                } catch (FileAlreadyExistsException e) {
                    // Another server on this data directory made it first: both use that one.
                }
            }
            String stored = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (stored.length() < 32) {
                throw new IllegalStateException(file + " holds no usable key (32 characters or more); remove it "
                        + "to have a new one made");
            }
            return stored;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or make the login cookie's key in " + file, e);
        }
    }

    /** Below every source a user configures (properties files 250 and up, environment 300, system 400). */
    @Override
    public int getOrdinal() {
        return 50;
    }

    @Override
    public String getName() {
        return "cellforge-session-key";
    }
}
