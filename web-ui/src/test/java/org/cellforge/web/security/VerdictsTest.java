package org.cellforge.web.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class VerdictsTest {

    /** A stand-in for bcrypt that records what it was asked: a password matches the hash "h:" + password. */
    private final List<String> checked = new ArrayList<>();

    private boolean slowCheck(String hash, char[] password) {
        checked.add(hash + "/" + new String(password));
        return hash.equals("h:" + new String(password));
    }

    private Verdicts verdicts(Duration ttl, int capacity) {
        return new Verdicts(ttl, capacity, this::slowCheck);
    }

    @Test
    void aRepeatedRightOrWrongPasswordIsCheckedOnce() {
        Verdicts v = verdicts(Duration.ofMinutes(5), 16);
        assertTrue(v.check("ann", "h:right", "right".toCharArray()));
        assertTrue(v.check("ann", "h:right", "right".toCharArray()));
        assertFalse(v.check("ann", "h:right", "wrong".toCharArray()));
        assertFalse(v.check("ann", "h:right", "wrong".toCharArray()));
        assertEquals(List.of("h:right/right", "h:right/wrong"), checked);
    }

    @Test
    void aChangedHashOrAnotherNameIsCheckedAgain() {
        Verdicts v = verdicts(Duration.ofMinutes(5), 16);
        assertTrue(v.check("ann", "h:old", "old".toCharArray()));
        // The password was changed: the old one no longer passes, though it passed a moment ago.
        assertFalse(v.check("ann", "h:new", "old".toCharArray()));
        assertTrue(v.check("bob", "h:old", "old".toCharArray()));
        assertEquals(3, checked.size());
    }

    @Test
    void outcomesExpireAndTheLeastRecentlyUsedGoFirst() {
        Verdicts fleeting = verdicts(Duration.ofNanos(1), 16);
        fleeting.check("ann", "h:a", "a".toCharArray());
        fleeting.check("ann", "h:a", "a".toCharArray());
        assertEquals(2, checked.size(), "an outcome older than its time to live is checked again");

        checked.clear();
        Verdicts small = verdicts(Duration.ofMinutes(5), 2);
        small.check("a", "h:1", "1".toCharArray());
        small.check("b", "h:2", "2".toCharArray());
        small.check("a", "h:1", "1".toCharArray());
        small.check("c", "h:3", "3".toCharArray());
        small.check("a", "h:1", "1".toCharArray());
        small.check("b", "h:2", "2".toCharArray());
        assertEquals(List.of("h:1/1", "h:2/2", "h:3/3", "h:2/2"), checked, "b, used least recently, was dropped");
    }

    @Test
    void zeroTimeToLiveChecksEveryCall() {
        Verdicts v = verdicts(Duration.ZERO, 16);
        v.check("ann", "h:a", "a".toCharArray());
        v.check("ann", "h:a", "a".toCharArray());
        assertEquals(2, checked.size());
    }
}
