package org.cellforge.space.darts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cellforge.space.ArchitectureFormatException;
import org.cellforge.space.darts.DartsGenotype.Edge;

/**
 * Reads the DARTS text form as the DARTS code prints it: a Python {@code Genotype} named tuple with
 * lists of {@code (op, input)} tuples; quotes may be single or double, the four fields may come in
 * any order, and a concat may be written {@code range(2, 6)} as the search code prints it.
 */
final class DartsText {

    private static final List<String> FIELDS = List.of("normal", "normal_concat", "reduce", "reduce_concat");

    private final String text;
    private int pos;

    private DartsText(String text) {
        this.text = text;
    }

    static DartsGenotype parse(String text) {
        if (text == null || text.isBlank()) {
            throw new ArchitectureFormatException(String.valueOf(text), "", 0,
                    "empty; expected Genotype(normal=[('op', input), ...], normal_concat=[...], reduce=[...],"
                            + " reduce_concat=[...])");
        }
        return new DartsText(text).genotype();
    }

    private DartsGenotype genotype() {
        skipSpace();
        if (text.startsWith("Genotype", pos)) {
            pos += "Genotype".length();
            skipSpace();
        }
        expect('(', "a genotype starts with Genotype( or (");
        Map<String, Object> fields = new LinkedHashMap<>();
        Map<String, Integer> fieldAt = new LinkedHashMap<>();
        while (true) {
            skipSpace();
            if (peek() == ')' && !fields.isEmpty()) {
                pos++;
                break;
            }
            int at = pos;
            String name = identifier();
            if (!FIELDS.contains(name)) {
                throw error(name, at, "unknown field; a genotype has " + FIELDS);
            }
            if (fields.containsKey(name)) {
                throw error(name, at, "field given twice");
            }
            skipSpace();
            expect('=', "expected '=' after " + name);
            skipSpace();
            fieldAt.put(name, pos);
            fields.put(name, name.endsWith("_concat") ? concat(name) : pairs(name));
            skipSpace();
            if (peek() == ',') {
                pos++;
                continue;
            }
            expect(')', "expected ',' or ')' after field " + name);
            break;
        }
        skipSpace();
        if (pos < text.length()) {
            throw error(text.substring(pos), pos, "unexpected text after the genotype");
        }
        for (String f : FIELDS) {
            if (!fields.containsKey(f)) {
                throw error(text.substring(Math.max(0, text.length() - 1)), text.length() - 1, "missing field " + f);
            }
        }
        try {
            return DartsGenotype.of(edges(fields.get("normal")), ints(fields.get("normal_concat")),
                    edges(fields.get("reduce")), ints(fields.get("reduce_concat")));
        } catch (IllegalArgumentException e) {
            String field = e.getMessage().startsWith("reduce") ? "reduce" : "normal";
            String concat = e.getMessage().startsWith(field + "_concat") ? field + "_concat" : field;
            int at = fieldAt.getOrDefault(concat, 0);
            throw error(text.substring(at, end(at)), at, e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Edge> edges(Object o) {
        return (List<Edge>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Integer> ints(Object o) {
        return (List<Integer>) o;
    }

    /** End of the bracketed value starting at {@code at}, for error excerpts. */
    private int end(int at) {
        int depth = 0;
        for (int i = at; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '[' || c == '(') {
                depth++;
            } else if (c == ']' || c == ')') {
                depth--;
                if (depth <= 0) {
                    return i + 1;
                }
            }
        }
        return text.length();
    }

    private List<Edge> pairs(String field) {
        expect('[', field + " is a list of ('op', input) pairs in [ ]");
        List<Edge> out = new ArrayList<>();
        while (true) {
            skipSpace();
            if (peek() == ']') {
                pos++;
                return out;
            }
            int at = pos;
            expect('(', "each pair of " + field + " is written ('op', input)");
            skipSpace();
            String op = quoted(field);
            skipSpace();
            expect(',', "expected ',' between op and input in " + field);
            skipSpace();
            int input = integer(field + " input");
            skipSpace();
            expect(')', "a pair of " + field + " has exactly two elements");
            try {
                out.add(new Edge(op, input));
            } catch (IllegalArgumentException e) {
                throw error(text.substring(at, pos), at, e.getMessage());
            }
            skipSpace();
            if (peek() == ',') {
                pos++;
            } else if (peek() != ']') {
                throw error(token(), pos, "expected ',' or ']' in " + field);
            }
        }
    }

    private List<Integer> concat(String field) {
        if (text.startsWith("range", pos)) {
            int at = pos;
            pos += "range".length();
            skipSpace();
            expect('(', "range is written range(start, stop)");
            skipSpace();
            int start = integer(field + " range start");
            skipSpace();
            expect(',', "range is written range(start, stop)");
            skipSpace();
            int stop = integer(field + " range stop");
            skipSpace();
            expect(')', "range is written range(start, stop)");
            if (stop <= start) {
                throw error(text.substring(at, pos), at, field + ": range must not be empty");
            }
            List<Integer> out = new ArrayList<>();
            for (int i = start; i < stop; i++) {
                out.add(i);
            }
            return out;
        }
        expect('[', field + " is a list of node numbers in [ ] or range(start, stop)");
        List<Integer> out = new ArrayList<>();
        while (true) {
            skipSpace();
            if (peek() == ']') {
                pos++;
                return out;
            }
            out.add(integer(field));
            skipSpace();
            if (peek() == ',') {
                pos++;
            } else if (peek() != ']') {
                throw error(token(), pos, "expected ',' or ']' in " + field);
            }
        }
    }

    private String quoted(String field) {
        char q = peek();
        if (q != '\'' && q != '"') {
            throw error(token(), pos, "the op of a pair in " + field + " is a quoted name such as 'sep_conv_3x3'");
        }
        int start = ++pos;
        int close = text.indexOf(q, start);
        if (close < 0) {
            throw error(text.substring(start - 1), start - 1, "unterminated quote");
        }
        pos = close + 1;
        return text.substring(start, close);
    }

    private int integer(String what) {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        if (pos == start) {
            throw error(token(), start, what + " must be a non-negative integer");
        }
        try {
            return Integer.parseInt(text.substring(start, pos));
        } catch (NumberFormatException e) {
            throw error(text.substring(start, pos), start, what + " is too large");
        }
    }

    private String identifier() {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        if (pos == start) {
            throw error(token(), start, "expected a field name (" + String.join(", ", FIELDS) + ")");
        }
        return text.substring(start, pos);
    }

    private void expect(char c, String reason) {
        if (peek() != c) {
            throw error(token(), pos, reason);
        }
        pos++;
    }

    /** The word or character at the current position, for error messages. */
    private String token() {
        if (pos >= text.length()) {
            return "";
        }
        int end = pos;
        while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
            end++;
        }
        return text.substring(pos, Math.max(end, pos + 1));
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private ArchitectureFormatException error(String token, int at, String reason) {
        return new ArchitectureFormatException(text, token, at, reason);
    }
}
