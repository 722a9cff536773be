package org.cellforge.web.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.shared.Registration;

/** Refreshes a view from the database every few seconds while it is on screen. */
final class Polling {

    static final int INTERVAL_MS = 2000;

    private Polling() {
    }

    /** Calls {@code refresh} on every poll while {@code view} is attached. */
    static void whileAttached(Component view, Runnable refresh) {
        Registration[] listener = new Registration[1];
        view.addAttachListener(e -> {
            e.getUI().setPollInterval(INTERVAL_MS);
            listener[0] = e.getUI().addPollListener(p -> refresh.run());
        });
        view.addDetachListener(e -> {
            e.getUI().setPollInterval(-1);
            if (listener[0] != null) {
                listener[0].remove();
            }
        });
    }
}
