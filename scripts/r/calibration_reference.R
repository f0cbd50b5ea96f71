# Reference values for cxresearch.metrics.weighting (rake, poststratify, calibrate) and the
# calibration-aware intervals of cxresearch.metrics.scores, from R's survey package.
#
# Run from the repository root (about 2 seconds; Debian: apt-get install r-cran-survey):
#     Rscript scripts/r/calibration_reference.R
# It (1) simulates a small seeded tracker and writes it to
#     tests/data/calibration_reference/answers.csv
# (40 stores = clusters in 4 regions, ~1,200 answers over 3 months, channel and age group per
# answer, design weights w that over-represent web, a numeric tenure, a few missing CSAT
# answers) with the population margins in margins.csv and the population cells of
# region x channel in cells.csv; then (2) reads those CSVs back (so R and Python use the very
# same numbers) and writes
#     weights.csv   the calibrated weights of every answer, one column per weighting (%.17g)
#     r_values.csv  estimate and SE of the metrics on each calibrated design
# which tests/test_weighting.py and tests/test_calibrated_intervals.py pin.
#
# Designs (with-replacement one-stage cluster sample, no strata, no fpc):
#   des     = svydesign(ids = ~store, weights = ~w, data = d)       (clustered)
#   des_srs = svydesign(ids = ~1, weights = ~w, data = d)           (each answer its own PSU)
#   rake(des, list(~region, ~channel, ~age), <margins>, control = list(maxit = 1000,
#        epsilon = 1e-14))                               raking by iterative proportional fitting
#   postStratify(des, ~region + channel, <cells>)        post-stratification
#   calibrate(des, ~region + channel + age + tenure, <totals>, calfun = "linear")        GREG
#   calibrate(..., calfun = "linear" | "raking" | "logit", bounds = c(0.75, 1.6),
#             epsilon = 1e-13, maxit = 500)              bounded calibration
#   calibrate(des, ~region + channel + age, <totals>, calfun = "raking", bounds = c(0.75, 1.6))
#                                                        bounded raking (cxresearch rake(bounds=))
# Metrics: svymean(~y, design, na.rm = TRUE) (a calibrated design keeps every row, the
# missing answers with weight 0, as domain estimation requires) with y = nps100 (100 / 0 / -100), top2
# (100 if CSAT >= 4), ces (1..7); domains: svyby(~nps100, ~channel, design, svymean) and the
# web - phone difference as the coefficient of svyglm(nps100 ~ channel, design).
suppressPackageStartupMessages(library(survey))

out_dir <- file.path("tests", "data", "calibration_reference")
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

# ---- 1. simulate ------------------------------------------------------------------------
set.seed(20261208)
n_stores <- 40
regions <- c("north", "south", "east", "west")
store_region <- rep(regions, each = n_stores / 4)
store_effect <- rnorm(n_stores, 0, 0.7)
size <- 20L + rpois(n_stores, 10)
st <- rep(seq_len(n_stores), size)
n <- length(st)
channel <- sample(c("web", "phone", "app"), n, replace = TRUE, prob = c(0.55, 0.25, 0.20))
age <- sample(c("18-34", "35-54", "55+"), n, replace = TRUE, prob = c(0.45, 0.35, 0.20))
month <- sample(1:3, n, replace = TRUE)
tenure <- round(rgamma(n, shape = 2, scale = 2.5), 1)
lat <- 7 + 1.2 * store_effect[st] + 0.5 * (channel == "web") - 0.6 * (age == "55+") +
  0.08 * tenure + 0.4 * (month == 3 & store_region[st] == "north") + rnorm(n, 0, 2)
nps <- pmin(10, pmax(0, round(lat)))
csat <- pmin(5, pmax(1, round(3.6 + 0.5 * store_effect[st] + 0.2 * (channel == "app") +
  rnorm(n, 0, 0.9))))
csat[runif(n) < 0.03] <- NA
ces <- pmin(7, pmax(1, round(5 + 0.7 * store_effect[st] + rnorm(n, 0, 1.2))))
w <- round(8 * exp(rnorm(n, 0, 0.25)) * ifelse(channel == "web", 0.8, 1.3), 4)
answers <- data.frame(store = sprintf("s%02d", st), region = store_region[st],
                      channel = channel, age = age, month = month, tenure = tenure,
                      nps = nps, csat = csat, ces = ces, w = w)
write.csv(answers, file.path(out_dir, "answers.csv"), row.names = FALSE, na = "")

N <- 12000
margins <- rbind(
  data.frame(margin = "region", category = regions, count = c(3600, 3000, 2700, 2700)),
  data.frame(margin = "channel", category = c("web", "phone", "app"),
             count = c(4800, 4200, 3000)),
  data.frame(margin = "age", category = c("18-34", "35-54", "55+"),
             count = c(4500, 4600, 2900)))
write.csv(margins, file.path(out_dir, "margins.csv"), row.names = FALSE)
cells <- expand.grid(channel = c("web", "phone", "app"), region = regions,
                     stringsAsFactors = FALSE)[, c("region", "channel")]
share_r <- c(north = 0.30, south = 0.25, east = 0.225, west = 0.225)
share_c <- c(web = 0.40, phone = 0.35, app = 0.25)
cells$count <- round(N * share_r[cells$region] * share_c[cells$channel] *
                       (1 + 0.1 * (cells$region == "north") * (cells$channel == "web")))
write.csv(cells, file.path(out_dir, "cells.csv"), row.names = FALSE)
tenure_total <- 62000

# ---- 2. reference values from the CSVs -----------------------------------------------------
d <- read.csv(file.path(out_dir, "answers.csv"))
mg <- read.csv(file.path(out_dir, "margins.csv"))
cl <- read.csv(file.path(out_dir, "cells.csv"))
d$nps100 <- 100 * (d$nps >= 9) - 100 * (d$nps <= 6)
d$top2 <- 100 * (d$csat >= 4)
d$region <- factor(d$region, levels = regions)
d$channel <- factor(d$channel, levels = c("web", "phone", "app"))
d$age <- factor(d$age, levels = c("18-34", "35-54", "55+"))
pop_margin <- function(name) {
  m <- mg[mg$margin == name, ]
  out <- data.frame(factor(m$category, levels = levels(d[[name]])), m$count)
  names(out) <- c(name, "Freq")
  out
}
des <- svydesign(ids = ~store, weights = ~w, data = d)
des_srs <- svydesign(ids = ~1, weights = ~w, data = d)
ctl <- list(maxit = 1000, epsilon = 1e-14)
mlist <- list(~region, ~channel, ~age)
plist <- list(pop_margin("region"), pop_margin("channel"), pop_margin("age"))
totals_of <- function(formula, with_tenure) {
  mm <- model.matrix(formula, d)
  tot <- c("(Intercept)" = N)
  for (nm in c("region", "channel", "age")) {
    m <- mg[mg$margin == nm, ]
    for (lev in levels(d[[nm]])[-1]) tot[paste0(nm, lev)] <- m$count[m$category == lev]
  }
  if (with_tenure) tot["tenure"] <- tenure_total
  tot[colnames(mm)]
}
f_cal <- ~region + channel + age + tenure
f_rake <- ~region + channel + age
bnd <- c(0.75, 1.6)
pop_cells <- data.frame(region = factor(cl$region, levels = regions),
                        channel = factor(cl$channel, levels = levels(d$channel)),
                        Freq = cl$count)
designs <- list(
  raked = rake(des, mlist, plist, control = ctl),
  raked_srs = rake(des_srs, mlist, plist, control = ctl),
  poststratified = postStratify(des, ~region + channel, pop_cells),
  linear = calibrate(des, f_cal, totals_of(f_cal, TRUE), calfun = "linear"),
  linear_bounded = calibrate(des, f_cal, totals_of(f_cal, TRUE), calfun = "linear",
                             bounds = bnd, epsilon = 1e-13, maxit = 500),
  raking_bounded = calibrate(des, f_cal, totals_of(f_cal, TRUE), calfun = "raking",
                             bounds = bnd, epsilon = 1e-13, maxit = 500),
  logit_bounded = calibrate(des, f_cal, totals_of(f_cal, TRUE), calfun = "logit",
                            bounds = bnd, epsilon = 1e-13, maxit = 500),
  rake_bounded = calibrate(des, f_rake, totals_of(f_rake, FALSE), calfun = "raking",
                           bounds = bnd, epsilon = 1e-13, maxit = 500)
)
wt <- data.frame(row = seq_len(nrow(d)))
for (dn in setdiff(names(designs), "raked_srs"))  # raked_srs has the weights of raked
  wt[[dn]] <- sprintf("%.17g", weights(designs[[dn]]))
write.csv(wt, file.path(out_dir, "weights.csv"), row.names = FALSE, quote = FALSE)

rows <- list()
add <- function(design, metric, domain, est, se) {
  rows[[length(rows) + 1]] <<- data.frame(design = design, metric = metric, domain = domain,
                                          estimate = sprintf("%.17g", est),
                                          se = sprintf("%.17g", se))
}
for (dn in names(designs)) {
  dz <- designs[[dn]]
  for (y in c("nps100", "top2", "ces")) {
    m <- svymean(as.formula(paste0("~", y)), dz, na.rm = TRUE)
    add(dn, y, "all", coef(m)[[1]], SE(m)[[1]])
  }
  b <- svyby(~nps100, ~channel, dz, svymean)
  for (i in seq_len(nrow(b))) add(dn, "nps100", paste0("channel=", rownames(b)[i]),
                                  coef(b)[[i]], SE(b)[[i]])
  # web - phone: the channel coefficient of the saturated svyglm (svyby(covmat = TRUE) fails
  # on calibrated designs in survey 4.1.1)
  k <- svyglm(nps100 ~ relevel(channel, "phone"), dz)
  i <- grep("web$", names(coef(k)))
  add(dn, "nps100", "channel:web-phone", coef(k)[[i]], SE(k)[[i]])
}
# the same NPS with the raked weights taken as fixed (what ignoring the calibration gives)
fixed <- svydesign(ids = ~store, weights = ~wr, data = transform(d, wr = weights(designs$raked)))
m <- svymean(~nps100, fixed)
add("raked_weights_fixed", "nps100", "all", coef(m)[[1]], SE(m)[[1]])
res <- do.call(rbind, rows)
res$r_version <- paste(R.version$major, R.version$minor, sep = ".")
res$survey_version <- as.character(packageVersion("survey"))
write.csv(res, file.path(out_dir, "r_values.csv"), row.names = FALSE, quote = FALSE)
options(width = 200)
print(res[, 1:5], row.names = FALSE)
cat(sprintf("\n%d answers in %d stores; R %s, survey %s\n", nrow(d), length(unique(d$store)),
            res$r_version[1], res$survey_version[1]))
