package org.cellforge.runner.cli;

import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Quiet logging for the command line: what the libraries underneath (Hibernate, Flyway, the embedded
 * PostgreSQL, ND4J) say goes to java.util.logging, which prints only warnings, one line each, unless
 * {@code --verbose} asks for everything. The command's own output is its progress lines.
 */
final class Logs {

    private Logs() {
    }

    /** Configures logging; call before any library logs. */
    static void configure(boolean verbose) {
        // Hibernate and the pool log through JBoss Logging; send it to java.util.logging too.
        System.setProperty("org.jboss.logging.provider", "jdk");
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        Level level = verbose ? Level.FINE : Level.WARNING;
        root.setLevel(level);
        ConsoleHandler handler = new ConsoleHandler();
        handler.setLevel(level);
        handler.setFormatter(new Formatter() {
            @Override
            public String format(LogRecord r) {
                String where = r.getLoggerName() == null ? "" : " [" + r.getLoggerName() + "]";
                String line = r.getLevel().getName().toLowerCase(java.util.Locale.ROOT) + where + ": "
                        + formatMessage(r) + System.lineSeparator();
                if (verbose && r.getThrown() != null) {
                    java.io.StringWriter trace = new java.io.StringWriter();
                    r.getThrown().printStackTrace(new java.io.PrintWriter(trace));
                    line += trace;
                }
                return line;
            }
        });
        root.addHandler(handler);
        if (!verbose) {
            // Hibernate warns that the schema is managed elsewhere and similar start-up notes; they are
            // expected here (Flyway owns the schema) and would only hide the progress lines.
            Logger.getLogger("org.hibernate").setLevel(Level.SEVERE);
            Logger.getLogger("io.zonky").setLevel(Level.SEVERE);
            Logger.getLogger("org.nd4j").setLevel(Level.SEVERE);
            Logger.getLogger("org.flywaydb").setLevel(Level.SEVERE);
        }
    }
}
