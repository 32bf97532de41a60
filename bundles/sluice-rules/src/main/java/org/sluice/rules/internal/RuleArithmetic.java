package org.sluice.rules.internal;

import java.math.MathContext;
import java.util.regex.Pattern;
import org.apache.commons.jexl3.JexlArithmetic;

/**
 * JEXL's arithmetic with {@code =~} against a regular expression made time-bounded: a rule's pattern matched over an
 * attacker's text cannot hold the thread however the two were crafted.
 */
final class RuleArithmetic extends JexlArithmetic {

    RuleArithmetic() {
        super(false);
    }

    private RuleArithmetic(boolean strict, MathContext context, int scale) {
        super(strict, context, scale);
    }

    @Override
    protected JexlArithmetic createWithOptions(boolean strict, MathContext context, int scale) {
        return new RuleArithmetic(strict, context, scale);
    }

    @Override
    public Boolean contains(Object container, Object value) {
        if (container instanceof CharSequence regex && !(value instanceof java.util.Collection)) {
            if (value == null) {
                return false;
            }
            Pattern pattern = Patterns.compile(regex.toString(), 0);
            return pattern.matcher(Patterns.bounded(value.toString())).matches();
        }
        return super.contains(container, value);
    }
}
