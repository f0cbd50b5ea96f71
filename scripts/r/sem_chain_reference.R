# Reference values for cxresearch.linkage.sem_service_profit_chain (tests/test_linkage.py).
#
# Data: the test's own seeded sample, written once with
#   python -c "from cxresearch import linkage as lk; lk.simulate_latent_chain(n=600, rng=9).to_csv('chain.csv', index=False)"
# Run:  Rscript scripts/r/sem_chain_reference.R chain.csv
# Pinned with R 4.2.2, lavaan 0.6.14 (Debian r-cran-lavaan).
suppressMessages(library(lavaan))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(if (length(args)) args[1] else "chain.csv")
m <- "EX =~ e0 + e1 + e2
CX =~ c0 + c1 + c2
CX ~ a*EX
y ~ b*CX + c*EX
ind := a*b"
f <- sem(m, data = d)  # ML, expected information, first loadings fixed to 1
options(digits = 12)
p <- parameterEstimates(f)
s <- standardizedSolution(f)
write.csv(p[p$op %in% c("~", ":="), c("label", "est", "se")], stdout())
write.csv(s[s$op %in% c("~", ":="), c("label", "est.std", "se")], stdout())
print(fitMeasures(f, c("cfi", "rmsea")))
cat(R.version.string, "lavaan", as.character(packageVersion("lavaan")), "\n")
