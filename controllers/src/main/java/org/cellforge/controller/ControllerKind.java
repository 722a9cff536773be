package org.cellforge.controller;

import java.util.List;

import org.cellforge.controller.option.Option;
import org.cellforge.controller.option.Options;
import org.cellforge.controller.option.Violation;
import org.cellforge.space.Architecture;

/**
 * A strategy users can choose by name: its options and how to make one.
 */
public interface ControllerKind {

    /** The name in requests and stored searches. */
    String name();

    /** One sentence for help texts and the dashboard. */
    String description();

    /** The options this strategy accepts. */
    List<Option> options();

    /**
     * Checks that validated options fit together (such as a tournament no larger than the
     * population), adding what does not to {@code violations}.
     */
    default void check(Options options, List<Violation> violations) {
    }

    /**
     * Whether this strategy is one-shot: it does not ask and tell but runs one search of its own on a
     * supernet (DARTS), which the engine carries out; {@link #create} then refuses.
     */
    default boolean oneShot() {
        return false;
    }

    /** A new controller in its initial state. */
    <A extends Architecture> Controller<A> create(ControllerContext<A> context);

    /**
     * A kind with a fixed name, description and options; subclasses say how to create one (a generic
     * method, so not a lambda) and may check their options together.
     */
    abstract class Base implements ControllerKind {

        private final String name;
        private final String description;
        private final List<Option> options;

        protected Base(String name, String description, List<Option> options) {
            this.name = java.util.Objects.requireNonNull(name, "name");
            this.description = java.util.Objects.requireNonNull(description, "description");
            this.options = List.copyOf(options);
        }

        @Override
        public final String name() {
            return name;
        }

        @Override
        public final String description() {
            return description;
        }

        @Override
        public final List<Option> options() {
            return options;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
