package org.cellforge.web.ui;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongPredicate;

import org.cellforge.web.search.SearchFeed;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;

/**
 * Redraws a view when a search it shows changes, pushed to the browser (the application shell has
 * {@code @Push}): no polling, and nothing read while nothing changes.
 */
final class Live {

    private Live() {
    }

    /**
     * Calls {@code refresh} in the view's UI after changes to searches {@code which} accepts, while the
     * view is attached. Changes that arrive while a refresh is waiting for the UI are folded into it, so a
     * burst of epochs and trials costs one redraw. Attaching subscribes first and then redraws once, so a
     * change committed between the view's first read and its subscription is not missed (nor one made
     * while it was detached).
     */
    static void whileAttached(Component view, SearchFeed feed, LongPredicate which, Runnable refresh) {
        view.addAttachListener(attach -> {
            UI ui = attach.getUI();
            AtomicBoolean pending = new AtomicBoolean();
            Runnable redraw = () -> {
                if (pending.compareAndSet(false, true)) {
                    try {
                        ui.access(() -> {
                            pending.set(false);
                            // A redraw queued just before a navigation may run after the view left.
                            if (view.isAttached()) {
                                refresh.run();
                            }
                        });
                    } catch (UIDetachedException e) {
                        pending.set(false);
                    }
                }
            };
            SearchFeed.Subscription subscription = feed.subscribe(which, redraw);
            redraw.run();
            view.addDetachListener(detach -> {
                subscription.close();
                detach.unregisterListener();
            });
        });
    }
}
