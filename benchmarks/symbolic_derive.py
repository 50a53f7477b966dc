"""Benchmark: structured derivation of dE_T/dW_hh at T = 50 (target: under 1 s).

Prints the time of ``derive("W_hh", n_steps=50)`` (every one of the 50 chains written out and
its factors counted) and two references: the brute-force oracle (scalar expansion +
``sympy.diff``) at the tiny size n=2, T=3, and the structured derivation at T=3, so the ratio
says how many times cheaper the structure is than brute force even at a size where brute force
is feasible. Run: ``python benchmarks/symbolic_derive.py``.
"""

from _harness import best

from gradtheory.symbolic import derive
from gradtheory.symbolic.model import expand_network
from gradtheory.symbolic.oracle import oracle_gradient


def main():
    t50 = best(lambda: derive("W_hh", n_steps=50), 5)
    d = derive("W_hh", n_steps=50)
    n_factors = sum(len(term.chain) for term in d.terms)
    t3 = best(lambda: derive("W_hh", n_steps=3), 5)
    small = derive("W_hh", n_steps=3)

    def brute():
        net = expand_network(small.model, n_hidden=2, n_input=1, n_output=1, n_steps=3)
        oracle_gradient(net, "W_hh")

    t_oracle = best(brute, 2)
    print(f"structured dE_T/dW_hh, T=50: {t50 * 1e3:.2f} ms "
          f"({len(d.terms)} terms, {n_factors} factors; target < 1000 ms)")
    print(f"structured dE_T/dW_hh, T=3:  {t3 * 1e3:.3f} ms")
    print(f"brute-force oracle (sympy.diff of the scalar expansion), n=2, T=3: "
          f"{t_oracle * 1e3:.1f} ms")
    print(f"ratio oracle(T=3, n=2) / structured(T=50): {t_oracle / t50:.1f}x")
    print(f"ratio oracle(T=3, n=2) / structured(T=3):  {t_oracle / t3:.0f}x")


if __name__ == "__main__":
    main()
