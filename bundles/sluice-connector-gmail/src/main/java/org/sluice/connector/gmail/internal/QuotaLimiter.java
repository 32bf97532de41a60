package org.sluice.connector.gmail.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps each user's Gmail calls within a number of quota units per sliding window (Gmail's per-user limit is counted
 * per minute), and holds a user back until a Retry-After the server gave has passed.
 *
 * <p>A call first {@linkplain #reserve reserves} its units; when it has finished, {@link Reservation#finish()} moves
 * the reservation's time to the moment the answer arrived. The server counted the call when it arrived, which is no
 * later than that, so a window counted from the finish times never holds fewer units than the server's window: the
 * client can only be stricter than the server.
 */
final class QuotaLimiter {

    private final int unitsPerWindow;
    private final Duration window;
    private final Clock clock;
    private final Map<String, UserWindow> users = new HashMap<>();

    QuotaLimiter(int unitsPerWindow, Duration window, Clock clock) {
        if (unitsPerWindow < 1) {
            throw new IllegalArgumentException("units per window must be at least 1, got " + unitsPerWindow);
        }
        this.unitsPerWindow = unitsPerWindow;
        this.window = window;
        this.clock = clock;
    }

    /** Units spent by one call, with the moment it counts from. */
    final class Reservation {
        private final String user;
        private final int units;
        private Instant at;

        private Reservation(String user, int units, Instant at) {
            this.user = user;
            this.units = units;
            this.at = at;
        }

        /** Marks the call as answered now, so that its units count for a full window from now. */
        void finish() {
            synchronized (QuotaLimiter.this) {
                at = clock.instant();
            }
        }

        @Override
        public String toString() {
            return units + " units for " + user;
        }
    }

    /** The answer to a reservation: either the reservation, or how long to wait before asking again. */
    record Grant(Reservation reservation, Duration delay) {}

    /**
     * Reserves {@code units} for {@code user} now if the user's window has room and no server wait is pending;
     * otherwise answers how long until it may.
     */
    synchronized Grant reserve(String user, int units) {
        if (units > unitsPerWindow) {
            throw new IllegalArgumentException(
                    "one call of " + units + " units exceeds the limit of " + unitsPerWindow + " per window");
        }
        Instant now = clock.instant();
        UserWindow state = users.computeIfAbsent(user, u -> new UserWindow());
        if (state.notBefore != null && now.isBefore(state.notBefore)) {
            return new Grant(null, Duration.between(now, state.notBefore));
        }
        state.purge(now);
        int used = state.used();
        if (used + units > unitsPerWindow) {
            return new Grant(null, state.waitFor(used + units - unitsPerWindow, now));
        }
        Reservation reservation = new Reservation(user, units, now);
        state.reservations.add(reservation);
        return new Grant(reservation, Duration.ZERO);
    }

    /** Holds {@code user} back until {@code until}, as the server asked; a later wait already set is kept. */
    synchronized void holdUntil(String user, Instant until) {
        UserWindow state = users.computeIfAbsent(user, u -> new UserWindow());
        if (state.notBefore == null || until.isAfter(state.notBefore)) {
            state.notBefore = until;
        }
    }

    /** The units {@code user} has spent in the current window. */
    synchronized int used(String user) {
        UserWindow state = users.get(user);
        if (state == null) {
            return 0;
        }
        state.purge(clock.instant());
        return state.used();
    }

    /** Forgets users with nothing left in their window, so that a long campaign does not grow the map forever. */
    synchronized void forgetIdle() {
        Instant now = clock.instant();
        users.values().removeIf(state -> {
            state.purge(now);
            return state.reservations.isEmpty() && (state.notBefore == null || !now.isBefore(state.notBefore));
        });
    }

    /** One user's reservations and server-imposed wait; guarded by the limiter's lock. */
    private final class UserWindow {
        private final List<Reservation> reservations = new ArrayList<>();
        private Instant notBefore;

        void purge(Instant now) {
            Instant start = now.minus(window);
            reservations.removeIf(r -> !r.at.isAfter(start));
        }

        int used() {
            int sum = 0;
            for (Reservation r : reservations) {
                sum += r.units;
            }
            return sum;
        }

        /** How long until {@code excess} units have left the window. */
        Duration waitFor(int excess, Instant now) {
            List<Reservation> byTime = new ArrayList<>(reservations);
            byTime.sort((a, b) -> a.at.compareTo(b.at));
            int freed = 0;
            for (Reservation r : byTime) {
                freed += r.units;
                if (freed >= excess) {
                    Duration wait = Duration.between(now, r.at.plus(window));
                    return wait.isNegative() ? Duration.ofMillis(1) : wait.plusMillis(1);
                }
            }
            return window;
        }
    }
}
