package org.cellforge.web.security;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;

import org.cellforge.engine.InvalidRequestException;
import org.wildfly.security.password.Password;
import org.wildfly.security.password.PasswordFactory;
import org.wildfly.security.password.WildFlyElytronPasswordProvider;
import org.wildfly.security.password.interfaces.BCryptPassword;
import org.wildfly.security.password.util.ModularCrypt;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.security.AuthenticationFailedException;

/** Passwords of database accounts: made, checked for what the server accepts, hashed and verified. */
public final class Passwords {

    /** Shortest password accepted: long enough that guessing through bcrypt's cost is hopeless. */
    public static final int MIN_LENGTH = 12;

    /** Longest: bcrypt reads 72 bytes at most, and a longer one only suggests a pasted mistake. */
    public static final int MAX_LENGTH = 72;

    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private static final WildFlyElytronPasswordProvider PROVIDER = new WildFlyElytronPasswordProvider();

    private Passwords() {
    }

    /** 20 characters of 57 (about 117 bits), without the look-alikes 0/O, 1/l/I. */
    public static String generate() {
        SecureRandom random = new SecureRandom();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    /**
     * {@code password} if the server accepts it as a new password.
     *
     * @throws InvalidRequestException naming {@code field} otherwise; the message never repeats the password
     */
    public static String checkNew(String field, String password) {
        if (password == null) {
            throw InvalidRequestException.of(field, "is required");
        }
        int bytes = password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (password.length() < MIN_LENGTH || bytes > MAX_LENGTH) {
            throw InvalidRequestException.of(field, "must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters "
                    + "(" + MAX_LENGTH + " bytes in UTF-8), got " + password.length());
        }
        if (password.chars().anyMatch(Character::isISOControl)) {
            throw InvalidRequestException.of(field, "must not contain control characters");
        }
        return password;
    }

    /** bcrypt of {@code password} in modular crypt form, as the accounts table keeps it. */
    public static String hash(String password) {
        return BcryptUtil.bcryptHash(password);
    }

    /** Whether {@code password} hashes to {@code hash}, a bcrypt hash in modular crypt form. */
    public static boolean matches(String hash, char[] password) {
        try {
            PasswordFactory factory = PasswordFactory.getInstance(BCryptPassword.ALGORITHM_BCRYPT, PROVIDER);
            Password stored = factory.translate(ModularCrypt.decode(hash));
            return factory.verify(stored, password);
        } catch (GeneralSecurityException e) {
            throw new AuthenticationFailedException("unreadable password hash", e);
        }
    }
}
