-- Entry script for tests: writes its process id to the file job#"started", sleeps job#"seconds"
-- seconds, then writes {"slept": seconds}.
-- Usage: M2 --script sleep.m2 in.json out.json
needsPackage("Neuromanifold", FileName => getenv "NEUROMANIFOLD_M2_DIR" | "/Neuromanifold.m2");
(inFile, outFile) = jobFiles();
job = readJob inFile;
job#"started" << toString processID() << close;
sleep(job#"seconds");
writeResult(outFile, hashTable {"slept" => job#"seconds"});
