-- Entry script: ED degree by the package EuclideanDistanceDegree (symbolicWeightEDDegree).
-- Job: {"nvars": s, "characteristic": p, "polynomials": [strings in t_0..t_(s-1)],
--       "data": [s integers], "weights": [s integers]}: the loss sum_i weights_i (t_i - data_i)^2
-- Result: {"degree": the number of critical points off the singular locus, "seconds": string}
needsPackage("Neuromanifold", FileName => getenv "NEUROMANIFOLD_M2_DIR" | "/Neuromanifold.m2");
needsPackage "EuclideanDistanceDegree";
(inFile, outFile) = jobFiles();
job = readJob inFile;
F = jobPolynomials(job, CoefficientRing => ZZ/(job#"characteristic"));
R = ring first F;
U = apply(job#"data", v -> v_R);
W = apply(job#"weights", v -> v_R);
T = elapsedTiming symbolicWeightEDDegree(F, U, W);
writeResult(outFile, hashTable {"degree" => T#1, "seconds" => toString(T#0)});
