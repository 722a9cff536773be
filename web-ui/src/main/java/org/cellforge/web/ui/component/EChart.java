package org.cellforge.web.ui.component;

import java.util.function.IntConsumer;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasSize;
import com.vaadin.flow.component.Tag;
import com.vaadin.flow.component.dependency.JsModule;
import com.vaadin.flow.component.dependency.NpmPackage;
import com.vaadin.flow.shared.Registration;

/**
 * An ECharts chart whose option is built on the server as JSON, so views describe charts with the
 * ECharts option model and need no client code of their own. The version is pinned because the
 * committed production bundle was built with it: changing it needs {@code web-ui/build-bundle}.
 */
@Tag("cf-chart")
@NpmPackage(value = "echarts", version = "6.1.0")
@JsModule("./cellforge/cf-chart.ts")
public final class EChart extends Component implements HasSize {

    private static final String TRIAL = "event.detail.trial";

    /**
     * Replaces the whole chart, not a merge into the previous option, so a refresh that drops a
     * series also removes it from the screen.
     */
    public void setOption(String json) {
        getElement().setProperty("option", json);
    }

    /**
     * The number is the trial of a clicked data item whose datum carries a numeric {@code trial}
     * field; items without one are not clickable through this listener.
     */
    public Registration addTrialClickListener(IntConsumer listener) {
        return getElement()
                .addEventListener("trial-click",
                        event -> listener.accept(event.getEventData().get(TRIAL).asInt()))
                .addEventData(TRIAL);
    }
}
