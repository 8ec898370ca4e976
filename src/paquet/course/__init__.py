"""The course's experiments (TP 4) as library code: each returns what happened, packets included.

* :mod:`paquet.course.handshake`: a TCP session by hand (SYN, SYN/ACK, ACK, data, FIN), the
  kernel's RST silenced by a temporary nftables rule (question 7);
* :mod:`paquet.course.spoofing`: spoofed ICMP echo (question 4), spoofed UDP (question 5), blind
  TCP spoofing (question 9), strict reverse-path filtering;
* :mod:`paquet.course.loop`: the UDP loop between two echo servers on port 10000 (question 6),
  always bounded by a count and a time;
* :mod:`paquet.course.demo`: the course demo (``paquet demo``): TP 4's questions
  (:mod:`paquet.course.tp4`: the code shown beside the function that runs it) and the exercise
  sheet (:mod:`paquet.course.exercises`), as sections that hand what to show to the command
  line as blocks (:mod:`paquet.course.page`).

Nothing is imported until used: ``import paquet.course`` costs nothing.
"""
