package org.cellforge.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.cellforge.controller.Controller;
import org.cellforge.controller.ControllerContext;
import org.cellforge.controller.ControllerKind;
import org.cellforge.controller.ControllerState;
import org.cellforge.controller.Decision;
import org.cellforge.controller.Observation;
import org.cellforge.controller.option.Option;
import org.cellforge.space.Architecture;

/** A controller that proposes a fixed list of arch strings (a {@code null} entry means Wait), then is done. */
final class ScriptedController<A extends Architecture> implements Controller<A> {

    static final String NAME = "scripted";

    /** Lookup for an engine whose only controller proposes {@code script}. */
    static java.util.function.Function<String, Optional<ControllerKind>> kind(List<String> script,
            List<Observation<?>> told) {
        ControllerKind k = new ControllerKind() {
            @Override
            public String name() {
                return NAME;
            }

            @Override
            public String description() {
                return "proposes a script";
            }

            @Override
            public List<Option> options() {
                return List.of();
            }

            @Override
            public <B extends Architecture> Controller<B> create(ControllerContext<B> context) {
                return new ScriptedController<>(context, script, told);
            }
        };
        return name -> name.equals(NAME) ? Optional.of(k) : Optional.empty();
    }

    private final ControllerContext<A> context;
    private final Deque<String> script;
    private final List<Observation<?>> told;

    private ScriptedController(ControllerContext<A> context, List<String> script, List<Observation<?>> told) {
        this.context = context;
        this.script = new ArrayDeque<>();
        script.forEach(s -> this.script.add(s == null ? "" : s));
        this.told = told;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Decision<A> ask() {
        if (script.isEmpty()) {
            return Decision.done("script ended");
        }
        String next = script.poll();
        return next.isEmpty() ? Decision.waitForResults() : Decision.propose(context.space().parse(next));
    }

    @Override
    public void tell(Observation<A> observation) {
        synchronized (told) {
            told.add(observation);
        }
    }

    @Override
    public ControllerState snapshot() {
        return new ControllerState(NAME, 1, Map.of("left", new ArrayList<>(script)));
    }

    @Override
    public void restore(ControllerState state) {
        throw new UnsupportedOperationException();
    }
}
