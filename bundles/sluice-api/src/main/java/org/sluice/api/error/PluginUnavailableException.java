package org.sluice.api.error;

/** The plugin that would do the work is not installed or not running right now; nothing was stored. */
public class PluginUnavailableException extends SluiceException {
    private static final long serialVersionUID = 1L;

    private final String pluginType;

    public PluginUnavailableException(String kind, String pluginType) {
        super("plugin_unavailable", "no " + kind + " of type '" + pluginType + "' is installed and running");
        this.pluginType = pluginType;
    }

    public String pluginType() {
        return pluginType;
    }
}
