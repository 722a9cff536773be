package org.cellforge.web;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;

/** Serves the REST API and the dashboard until the process is stopped. */
public class CellforgeApp implements QuarkusApplication {

    @Override
    public int run(String... args) {
        int port = ConfigProvider.getConfig().getOptionalValue("quarkus.http.port", Integer.class).orElse(8080);
        System.out.println("cellforge: dashboard and API on http://localhost:" + port + "/");
        Quarkus.waitForExit();
        return 0;
    }
}
