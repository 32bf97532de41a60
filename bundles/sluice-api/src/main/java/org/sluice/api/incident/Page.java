package org.sluice.api.incident;

import java.util.List;

/** One page of a longer result: the items, how many match in all, and where this page starts. */
public record Page<T>(List<T> items, long total, int offset, int limit) {
    public Page {
        items = List.copyOf(items);
    }
}
